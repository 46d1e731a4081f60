package org.modelmarket.search.index.elasticsearch;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * The hot reads' HTTP client (page searches and suggestions): Quarkus' Vert.x HTTP client instead of the
 * Elasticsearch low-level client's Apache I/O reactor. Called on the request's event loop, the request goes out and
 * its answer comes back and is read on that same event loop; through the low-level client each search went event
 * loop, Apache I/O thread (where the answer was read), event loop again. Same hosts, protocol, credentials, timeouts
 * and pool size as the low-level client ({@code quarkus.elasticsearch.*}).
 */
@ApplicationScoped
public class ElasticsearchHttp {

    private final HttpClient http;
    private final List<InetSocketAddress> hosts;
    private final AtomicInteger next = new AtomicInteger();
    private final long socketTimeoutMillis;
    private final String authorization;

    public ElasticsearchHttp(
            Vertx vertx,
            @ConfigProperty(name = "quarkus.elasticsearch.hosts") List<String> hosts,
            @ConfigProperty(name = "quarkus.elasticsearch.protocol", defaultValue = "http") String protocol,
            @ConfigProperty(name = "quarkus.elasticsearch.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.elasticsearch.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.elasticsearch.api-key") Optional<String> apiKey,
            @ConfigProperty(name = "quarkus.elasticsearch.connection-timeout") Duration connectionTimeout,
            @ConfigProperty(name = "quarkus.elasticsearch.socket-timeout") Duration socketTimeout,
            @ConfigProperty(name = "quarkus.elasticsearch.max-connections-per-route") int maxConnectionsPerRoute) {
        this.hosts = hosts.stream()
                .map(host -> InetSocketAddress.createUnresolved(
                        host.substring(0, host.lastIndexOf(':')),
                        Integer.parseInt(host.substring(host.lastIndexOf(':') + 1))))
                .toList();
        this.socketTimeoutMillis = socketTimeout.toMillis();
        this.authorization = apiKey.filter(key -> !key.isBlank())
                .map(key -> "ApiKey " + key)
                .or(() -> username.filter(user -> !user.isBlank())
                        .map(user -> "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (user + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8))))
                .orElse(null);
        this.http = vertx.createHttpClient(
                new HttpClientOptions()
                        .setSsl("https".equals(protocol))
                        .setConnectTimeout((int) connectionTimeout.toMillis())
                        .setKeepAlive(true)
                        // like the low-level client: no client span and no traceparent to Elasticsearch (Quarkus'
                        // OpenTelemetry tracer would otherwise trace every search's request to it)
                        .setTracingPolicy(TracingPolicy.IGNORE),
                // the low-level client's per-route limit: the rest wait in the pool, outside the socket timeout
                new PoolOptions().setHttp1MaxSize(maxConnectionsPerRoute).setMaxWaitQueueSize(-1));
    }

    /**
     * POSTs {@code body} to {@code path} and returns the answer's body; a status of 300 or more fails with
     * {@link StatusException}, anything on the way (refused, timed out, closed) with the client's exception.
     */
    public Uni<Buffer> post(String path, byte[] body, String contentType) {
        InetSocketAddress host = hosts.get(Math.floorMod(next.getAndIncrement(), hosts.size()));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(host.getHostString())
                .setPort(host.getPort())
                .setURI(path)
                .setIdleTimeout(socketTimeoutMillis)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (authorization != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        return Uni.createFrom()
                .emitter(emitter -> http.request(options)
                        .compose(request -> request.send(Buffer.buffer(body)))
                        .compose(response -> response.body().map(answer -> {
                            if (response.statusCode() >= 300) {
                                throw new StatusException(
                                        response.statusCode(), answer.toString(StandardCharsets.UTF_8));
                            }
                            return answer;
                        }))
                        .onComplete(done -> {
                            if (done.succeeded()) {
                                emitter.complete(done.result());
                            } else {
                                emitter.fail(done.cause());
                            }
                        }));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** Elasticsearch answered with an error status; the message carries its body (the error's type and reason). */
    public static final class StatusException extends RuntimeException {
        private final int status;

        StatusException(int status, String body) {
            super("status " + status + ": " + body, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
