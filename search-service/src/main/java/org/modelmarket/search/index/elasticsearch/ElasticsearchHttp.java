package org.modelmarket.search.index.elasticsearch;

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
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * The hot reads' (page-paged search, suggest) way to Elasticsearch: Vert.x's HTTP client on the service's own event
 * loops, instead of the official client's low-level {@code RestClient}. A search arrives on an event loop; the
 * Apache client behind {@code RestClient} hands the request to its own I/O threads and the answer back to the event
 * loop, two thread hand-offs (and their wake-ups) per search on a two-core box. Vert.x sends from the caller's event
 * loop and answers there. Everything else (writes, cursor walks, index administration) keeps the official Java
 * client. It reads the client's own settings ({@code quarkus.elasticsearch.*}): hosts (taken in turn), protocol,
 * credentials, the connect and socket timeouts, and the pool size per host, whose callers beyond it wait in Vert.x's
 * queue, where the socket (idle) timeout does not run yet (see application.properties).
 */
@ApplicationScoped
public class ElasticsearchHttp {

    private final HttpClient client;
    private final List<SocketAddress> hosts;
    private final AtomicInteger next = new AtomicInteger();
    private final long socketTimeoutMs;
    private final Optional<String> authorization;

    public ElasticsearchHttp(
            Vertx vertx,
            @ConfigProperty(name = "quarkus.elasticsearch.hosts", defaultValue = "localhost:9200") List<String> hosts,
            @ConfigProperty(name = "quarkus.elasticsearch.protocol", defaultValue = "http") String protocol,
            @ConfigProperty(name = "quarkus.elasticsearch.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.elasticsearch.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.elasticsearch.connection-timeout", defaultValue = "1S")
                    Duration connectTimeout,
            @ConfigProperty(name = "quarkus.elasticsearch.socket-timeout", defaultValue = "30S") Duration socketTimeout,
            @ConfigProperty(name = "quarkus.elasticsearch.max-connections-per-route", defaultValue = "10")
                    int connectionsPerHost) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setSsl("https".equalsIgnoreCase(protocol))
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(connectionsPerHost));
        this.hosts = hosts.stream().map(ElasticsearchHttp::address).toList();
        this.socketTimeoutMs = socketTimeout.toMillis();
        this.authorization = username.filter(user -> !user.isBlank())
                .map(user -> "Basic "
                        + Base64.getEncoder()
                                .encodeToString((user + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8)));
    }

    /** An answer that is not 2xx: its status and body. */
    static final class StatusException extends RuntimeException {
        private final int status;

        StatusException(int status, String body) {
            super(status + " " + body, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * POSTs {@code body} to {@code path} and gives the answer's bytes (2xx), a {@link StatusException} (any other
     * status) or the transport's failure (connect, socket timeout, closed connection).
     */
    public Uni<byte[]> post(String path, String contentType, byte[] body) {
        SocketAddress host = hosts.get(Math.floorMod(next.getAndIncrement(), hosts.size()));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(host)
                .setHost(host.host())
                .setPort(host.port())
                .setURI(path)
                .setIdleTimeout(socketTimeoutMs)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        authorization.ifPresent(value -> options.putHeader(HttpHeaders.AUTHORIZATION, value));
        return Uni.createFrom()
                .emitter(emitter -> client.request(options)
                        .compose(request -> request.send(Buffer.buffer(body)))
                        .compose(response -> response.body().map(answer -> {
                            if (response.statusCode() / 100 != 2) {
                                throw new StatusException(
                                        response.statusCode(), answer.toString(StandardCharsets.UTF_8));
                            }
                            return answer.getBytes();
                        }))
                        .onComplete(result -> {
                            if (result.succeeded()) {
                                emitter.complete(result.result());
                            } else {
                                emitter.fail(result.cause());
                            }
                        }));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private static SocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0) {
            return SocketAddress.inetSocketAddress(9200, hostAndPort);
        }
        return SocketAddress.inetSocketAddress(
                Integer.parseInt(hostAndPort.substring(colon + 1)), hostAndPort.substring(0, colon));
    }
}
