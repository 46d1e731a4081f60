package org.modelmarket.gateway.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.config.Config;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;
import org.modelmarket.gateway.route.RouteTable;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The gateway's own calls to the services on a caller's behalf, for the parts that do more than pass a request
 * through (gRPC, the Hub API, the model page): one Vert.x HTTP client, the caller's {@code Authorization} sent along
 * (so each service authorizes the caller itself), a bound on the time to the answer (the service's
 * {@code response-timeout}, or the caller's own deadline when that ends first), and retries of idempotent calls with
 * the pass-through proxy's numbers ({@code modelmarket.gateway.downstream.*}: {@code retries}, {@code retry-delay}).
 * Bodies are small JSON documents; file bytes never come here.
 *
 * <p>A call is retried, as by the proxy, when nothing was sent (no connection), or when it is a {@code GET}/{@code
 * HEAD} and the connection broke, no answer came in time, or the service said 502/503/504; never past the caller's
 * deadline. The answer comes back whatever its status ({@link Reply#orThrow} maps an error to the gateway's
 * downstream failures); a call that gets no answer fails with {@link DownstreamUnavailableException}, or with
 * {@link DeadlineExceededException} when the caller's deadline ended it.
 */
@ApplicationScoped
public class ServiceCalls {

    private static final TypeLiteral<CompletionStage<Reply>> REPLY = new TypeLiteral<>() {};

    /** A service's answer: status, headers and body (empty when it sent none). */
    public record Reply(int status, MultiMap headers, Buffer body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }

        /**
         * This reply when it is a success; else the gateway's failure for it: a 4xx is the service's problem, passed
         * on ({@link DownstreamProblemException}), a 5xx an unavailable service.
         */
        public Reply orThrow(String service) {
            if (status >= 500) {
                throw new DownstreamUnavailableException(service, status);
            }
            if (status >= 400) {
                throw new DownstreamProblemException(service, status, header("Content-Type"), text());
            }
            return this;
        }
    }

    /**
     * One call: method, path and query (already encoded), the caller's {@code Authorization} (empty: anonymous), extra
     * headers, a body with its type, and the caller's own deadline if it has one.
     */
    public static final class Call {

        private final HttpMethod method;
        private final String pathAndQuery;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Buffer body;
        private Instant deadline;

        private Call(HttpMethod method, String pathAndQuery) {
            this.method = method;
            this.pathAndQuery = pathAndQuery;
        }

        public static Call of(HttpMethod method, String pathAndQuery) {
            return new Call(method, pathAndQuery);
        }

        public static Call get(String pathAndQuery) {
            return new Call(HttpMethod.GET, pathAndQuery);
        }

        /** Sends the caller's {@code Authorization} value, if any. */
        public Call as(Optional<String> authorization) {
            authorization.ifPresent(value -> headers.put("Authorization", value));
            return this;
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Call headers(Map<String, String> more) {
            headers.putAll(more);
            return this;
        }

        /** A JSON body (null: none). */
        public Call json(byte[] json) {
            if (json != null) {
                body = Buffer.buffer(json);
                headers.put("Content-Type", "application/json");
            }
            return this;
        }

        /** The caller's deadline (null: none); the call is bounded by it and by the service's response timeout. */
        public Call deadline(Instant until) {
            this.deadline = until;
            return this;
        }

        boolean idempotent() {
            return method == HttpMethod.GET || method == HttpMethod.HEAD;
        }
    }

    /** The caller's deadline ended the call before the service answered. */
    public static final class DeadlineExceededException extends RuntimeException {
        DeadlineExceededException(String service) {
            super(service + " did not answer within the call's deadline", null, false, false);
        }
    }

    /** An attempt that may be made again; carries the 5xx reply to return if no retry is left. */
    private static final class Retryable extends RuntimeException {
        private final Reply reply;

        Retryable(Reply reply, Throwable cause) {
            super(cause == null ? "status " + reply.status() : cause.toString(), cause, false, false);
            this.reply = reply;
        }
    }

    private final HttpClient http;
    private final Map<String, URI> bases = new LinkedHashMap<>();
    private final Map<String, Guard> retries = new LinkedHashMap<>();
    private final GatewayConfig gateway;

    ServiceCalls(Vertx vertx, Config config, GatewayConfig gateway) {
        this.gateway = gateway;
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int)
                        gateway.downstream().connectTimeout().toMillis()));
        for (String service : RouteTable.services()) {
            String url = config.getValue("quarkus.rest-client." + service + ".url", String.class);
            bases.put(service, URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url));
            GatewayConfig.Downstream numbers = gateway.downstream(service);
            retries.put(
                    service,
                    Guard.create()
                            .withDescription("service calls to " + service)
                            .withRetry()
                            .maxRetries(numbers.retries())
                            .delay(numbers.retryDelay().toMillis(), ChronoUnit.MILLIS)
                            .jitter(0, ChronoUnit.MILLIS)
                            .maxDuration(0, ChronoUnit.MILLIS)
                            .whenException(e -> e instanceof Retryable)
                            .done()
                            .withThreadOffload(false)
                            .build());
        }
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }

    /** The base URI of {@code service} (no trailing slash). */
    public URI base(String service) {
        return bases.get(service);
    }

    /** Makes {@code call} to {@code service}: its answer whatever the status, retried as the class says. */
    public Uni<Reply> send(String service, Call call) {
        return Uni.createFrom()
                .completionStage(() ->
                        retries.get(service).get(() -> attempt(service, call).subscribeAsCompletionStage(), REPLY))
                .onFailure(Retryable.class)
                .recoverWithUni(failure -> {
                    Retryable last = (Retryable) failure;
                    return last.reply != null
                            ? Uni.createFrom().item(last.reply)
                            : Uni.createFrom().failure(new DownstreamUnavailableException(service, last.getCause()));
                });
    }

    private Uni<Reply> attempt(String service, Call call) {
        Duration timeout = gateway.downstream(service).responseTimeout();
        boolean callerBound = false;
        if (call.deadline != null) {
            Duration left = Duration.between(Instant.now(), call.deadline);
            if (left.isNegative() || left.isZero()) {
                return Uni.createFrom().failure(new DeadlineExceededException(service));
            }
            if (left.compareTo(timeout) < 0) {
                timeout = left;
                callerBound = true;
            }
        }
        boolean deadline = callerBound;
        RequestOptions options = new RequestOptions()
                .setMethod(call.method)
                .setAbsoluteURI(bases.get(service) + call.pathAndQuery)
                .putHeader("Accept", "application/json")
                .setIdleTimeout(timeout.toMillis());
        call.headers.forEach(options::putHeader);
        return http.request(options)
                // Nothing was sent: any method may be tried again.
                .onFailure()
                .transform(e -> new Retryable(null, e))
                .flatMap(request -> (call.body == null ? request.send() : request.send(call.body))
                        .flatMap(response ->
                                response.body().map(body -> new Reply(response.statusCode(), response.headers(), body)))
                        .onFailure()
                        .transform(e -> call.idempotent() ? new Retryable(null, e) : unavailable(service, e)))
                .ifNoItem()
                .after(timeout)
                .failWith(() -> deadline
                        ? new DeadlineExceededException(service)
                        : call.idempotent()
                                ? new Retryable(null, new TimeoutException("no answer within the response timeout"))
                                : new DownstreamUnavailableException(service, new TimeoutException()))
                .map(reply -> {
                    int status = reply.status();
                    if (call.idempotent() && (status == 502 || status == 503 || status == 504)) {
                        throw new Retryable(reply, null);
                    }
                    return reply;
                });
    }

    private static RuntimeException unavailable(String service, Throwable failure) {
        return failure instanceof DownstreamUnavailableException known
                ? known
                : new DownstreamUnavailableException(service, failure);
    }
}
