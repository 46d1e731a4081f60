package org.modelmarket.gateway.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;
import org.modelmarket.gateway.route.RouteTable;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
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
 * through (gRPC, the Hub API, the model page): one Vert.x HTTP client per event loop ({@link EventLoopClients}), the
 * caller's {@code Authorization} sent along (so each service authorizes the caller itself), a bound on the time to the
 * answer (the service's {@code response-timeout}, or the caller's own deadline when that ends first), retries of
 * idempotent calls and a circuit breaker per service, both with the pass-through proxy's numbers
 * ({@code modelmarket.gateway.downstream.*}: {@code retries}, {@code retry-delay}, {@code breaker.*}). Bodies are small
 * JSON documents; file bytes never come here.
 *
 * <p>A call is retried, as by the proxy, when nothing was sent (no connection), or when it is a {@code GET}/{@code
 * HEAD} and the connection broke or the service said 502/503/504; never past the caller's deadline, and never after
 * a response timeout (a service silent that long is hung or overloaded: asking again only triples the wait). The
 * breaker, like the proxy's, counts only the service's own failures (no connection, a reset, no answer within the
 * response timeout, a 5xx): a slow answer within the timeout, a 4xx, and a caller's deadline that ends a call are not
 * failures, so a healthy but loaded service never opens it. While it is open, calls fail at once
 * without reaching the service. The answer comes back whatever its status ({@link Reply#orThrow} maps an error to
 * the gateway's downstream failures); a call that gets no answer fails with {@link DownstreamUnavailableException},
 * or with {@link DeadlineExceededException} when the caller's deadline ended it.
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

    /**
     * A failure of the service itself (what the breaker counts): no connection, a reset, no answer in time, or a 5xx
     * answer, which is returned to the caller if no retry is left. Only a {@code retryable} one is tried again.
     */
    private static final class ServiceFailure extends RuntimeException {
        private final Reply reply;
        private final boolean retryable;

        ServiceFailure(Reply reply, Throwable cause, boolean retryable) {
            super(cause == null ? "status " + reply.status() : cause.toString(), cause, false, false);
            this.reply = reply;
            this.retryable = retryable;
        }
    }

    private static final Logger LOG = Logger.getLogger(ServiceCalls.class);

    private final EventLoopClients<HttpClient> http;
    private final Map<String, URI> bases;
    private final Function<String, GatewayConfig.Downstream> numbers;
    private final Map<String, Guard> guards = new LinkedHashMap<>();
    private final Map<String, CircuitBreakerState> breakers = new ConcurrentHashMap<>();

    @Inject
    ServiceCalls(Vertx vertx, Config config, GatewayConfig gateway) {
        this(vertx, bases(config), gateway::downstream);
    }

    /** Calls to the services at {@code bases}, each with its {@code numbers}. */
    ServiceCalls(Vertx vertx, Map<String, URI> bases, Function<String, GatewayConfig.Downstream> numbers) {
        this.bases = Map.copyOf(bases);
        this.numbers = numbers;
        // Up to the proxy's pool-size connections per service (the largest of the services' when they differ;
        // Vert.x' default of 5 queued concurrent gRPC reads behind five connections), split over the event loops:
        // one client per loop, as the proxy's (EventLoopClients), so that a gRPC call's request and answer stay on
        // the loop that serves the call instead of waking another one twice per call.
        int poolSize = bases.keySet().stream()
                .mapToInt(service -> numbers.apply(service).poolSize())
                .max()
                .orElse(5);
        // One connect timeout for the client: the defaults' (a service's override cannot change it).
        int connectTimeout = (int)
                numbers.apply(bases.keySet().iterator().next()).connectTimeout().toMillis();
        this.http = new EventLoopClients<>(
                vertx.getDelegate(),
                loops -> vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setMaxPoolSize(EventLoopClients.perLoop(poolSize, loops))
                        .setConnectTimeout(connectTimeout)));
        for (String service : bases.keySet()) {
            breakers.put(service, CircuitBreakerState.CLOSED);
            guards.put(
                    service,
                    DownstreamGuard.builder(
                                    "service calls to " + service,
                                    numbers.apply(service),
                                    ServiceFailure.class,
                                    failure -> failure.retryable,
                                    state -> {
                                        breakers.put(service, state);
                                        LOG.infof(
                                                "circuit breaker of the service calls to %s is now %s", service, state);
                                    })
                            .build());
        }
    }

    private static Map<String, URI> bases(Config config) {
        Map<String, URI> bases = new LinkedHashMap<>();
        for (String service : RouteTable.services()) {
            String url = config.getValue("quarkus.rest-client." + service + ".url", String.class);
            bases.put(service, URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url));
        }
        return bases;
    }

    @PreDestroy
    void close() {
        http.all().forEach(HttpClient::closeAndAwait);
    }

    /** The base URI of {@code service} (no trailing slash). */
    public URI base(String service) {
        return bases.get(service);
    }

    /** The state of the circuit breaker of the calls to {@code service}. */
    public CircuitBreakerState breakerState(String service) {
        return breakers.get(service);
    }

    /** Makes {@code call} to {@code service}: its answer whatever the status, retried as the class says. */
    public Uni<Reply> send(String service, Call call) {
        return Uni.createFrom()
                .completionStage(() ->
                        guards.get(service).get(() -> attempt(service, call).subscribeAsCompletionStage(), REPLY))
                .onFailure(ServiceFailure.class)
                .recoverWithUni(failure -> {
                    ServiceFailure last = (ServiceFailure) failure;
                    return last.reply != null
                            ? Uni.createFrom().item(last.reply)
                            : Uni.createFrom().failure(new DownstreamUnavailableException(service, last.getCause()));
                })
                .onFailure(CircuitBreakerOpenException.class)
                .transform(open -> new DownstreamUnavailableException(service, open));
    }

    private Uni<Reply> attempt(String service, Call call) {
        Duration timeout = numbers.apply(service).responseTimeout();
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
        boolean idempotent = call.idempotent();
        RequestOptions options = new RequestOptions()
                .setMethod(call.method)
                .setAbsoluteURI(bases.get(service) + call.pathAndQuery)
                .putHeader("Accept", "application/json")
                .setIdleTimeout(timeout.toMillis());
        call.headers.forEach(options::putHeader);
        return http.current()
                .request(options)
                // Nothing was sent: any method may be tried again.
                .onFailure()
                .transform(e -> new ServiceFailure(null, e, true))
                .flatMap(request -> (call.body == null ? request.send() : request.send(call.body))
                        .flatMap(response ->
                                response.body().map(body -> new Reply(response.statusCode(), response.headers(), body)))
                        .onFailure()
                        .transform(e -> {
                            if (e instanceof ServiceFailure known) {
                                return known;
                            }
                            // The client's idle timeout, set to the caller's deadline, ended the call: the caller's
                            // failure, not the service's (neither counted nor retried). Set to the service's response
                            // timeout, it is the service's failure, counted but not retried (see below).
                            if (e instanceof TimeoutException) {
                                return deadline
                                        ? new DeadlineExceededException(service)
                                        : new ServiceFailure(null, e, false);
                            }
                            return new ServiceFailure(null, e, idempotent);
                        }))
                .ifNoItem()
                .after(timeout)
                .failWith(() -> deadline
                        // The caller's deadline, not the service's failure: neither counted nor retried.
                        ? new DeadlineExceededException(service)
                        // A service silent for its whole response timeout is hung or overloaded: counted, and not
                        // asked again (that would triple the caller's wait and add load where there is too much).
                        : new ServiceFailure(
                                null, new TimeoutException("no answer within the response timeout"), false))
                .map(reply -> {
                    int status = reply.status();
                    if (status >= 500) {
                        throw new ServiceFailure(
                                reply, null, idempotent && (status == 502 || status == 503 || status == 504));
                    }
                    return reply;
                });
    }
}
