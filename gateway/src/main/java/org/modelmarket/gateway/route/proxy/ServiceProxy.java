package org.modelmarket.gateway.route.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;
import org.modelmarket.gateway.client.DownstreamGuard;
import org.modelmarket.gateway.client.EventLoopClients;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.edge.RequestIds;
import org.modelmarket.platform.problem.ProblemType;
import org.modelmarket.platform.problem.StandardProblem;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The reverse proxy to one downstream service: Vert.x's {@link HttpProxy} does the HTTP (hop-by-hop headers dropped,
 * one framing per message, bodies piped with back-pressure, HEAD and 304 without body); this class adds the
 * resilience around each call — connect and response-header timeouts, retries (connect errors for every method,
 * other failures for idempotent ones), a circuit breaker that counts only real failures, and a concurrency limit
 * whose overflow is a 503 with {@code Retry-After} — and answers the gateway's own problems.
 */
final class ServiceProxy implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);

    private static final TypeLiteral<CompletionStage<ProxyResponse>> RESPONSE = new TypeLiteral<>() {};

    /** Hop-by-hop response headers (RFC 9110 7.6.1, RFC 9112 6.1); framing is the gateway's own. */
    private static final List<String> HOP_BY_HOP = List.of(
            "Connection",
            "Keep-Alive",
            "Proxy-Authenticate",
            "Proxy-Authorization",
            "Proxy-Connection",
            "TE",
            "Trailer",
            "Transfer-Encoding",
            "Upgrade");

    private static final TextMapSetter<MultiMap> HEADER_SETTER = (headers, name, value) -> headers.set(name, value);

    /** Attachment of the proxy context: the {@link Forwarding} of the request being proxied. */
    private static final String FORWARDING = "modelmarket.forwarding";

    /**
     * Hands the forwarding to {@link #handleProxyRequest}, which the proxy calls synchronously from
     * {@link HttpProxy#handle} on the same thread.
     */
    private static final ThreadLocal<Forwarding> HANDING_OVER = new ThreadLocal<>();

    /**
     * What the edge knows about a request on its way to the service; {@code fill} is set when the answer may be
     * stored by the {@link EdgeCache} (null otherwise); {@code body} when the edge has read the body already
     * ({@code token.auth.RestrictedMetering}), to be sent instead of the request's stream (null otherwise).
     */
    record Forwarding(
            String publicOrigin,
            String requestId,
            String clientIp,
            Map<String, String> extraHeaders,
            EdgeCache.Fill fill,
            Buffer body) {

        Forwarding(String publicOrigin, String requestId, String clientIp, Map<String, String> extraHeaders) {
            this(publicOrigin, requestId, clientIp, extraHeaders, null, null);
        }
    }

    private final String service;
    private final URI base;
    /** The service's host and port, as the proxied request's {@code Host}. */
    private final HostAndPort authority;

    private final GatewayConfig.Downstream config;
    private final Vertx vertx;
    private final ObjectMapper json;
    /** The client used from each event loop. */
    private final EventLoopClients<HttpClient> clients;

    private final HttpProxy proxy;
    private final Guard guard;
    private final TextMapPropagator propagator;
    private final AtomicReference<CircuitBreakerState> breakerState = new AtomicReference<>(CircuitBreakerState.CLOSED);

    ServiceProxy(
            Vertx vertx,
            String service,
            URI base,
            GatewayConfig.Downstream config,
            ObjectMapper json,
            TextMapPropagator propagator) {
        this.service = service;
        this.propagator = propagator;
        this.base = base;
        this.authority = HostAndPort.create(base.getHost(), port(base));
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        // One client per event loop (EventLoopClients: no thread hand-overs per request and body chunk).
        this.clients = new EventLoopClients<>(
                vertx,
                loops -> vertx.createHttpClient(
                        new HttpClientOptions()
                                .setKeepAlive(true)
                                // No client span per proxied call: the trace context sent on is the gateway's server
                                // span (prepareHeaders). OpenTelemetry's Vert.x client instrumentation built, extracted
                                // attributes for and ended a span per call only to inject that header.
                                .setTracingPolicy(TracingPolicy.IGNORE)
                                .setConnectTimeout((int) config.connectTimeout().toMillis())
                                .setDefaultHost(base.getHost())
                                .setDefaultPort(port(base)),
                        new PoolOptions()
                                // The pool size is the service's total: split over the loops.
                                .setHttp1MaxSize(EventLoopClients.perLoop(config.poolSize(), loops))
                                // Requests beyond the pool wait in the bulkhead's queue, not in the client's.
                                .setMaxWaitQueueSize(-1)));
        // The proxy's own client is never used to send: every attempt is sent by attempt().
        this.proxy = HttpProxy.reverseProxy(clients.all().get(0)).addInterceptor(this);
        this.guard = DownstreamGuard.builder(
                        "downstream " + service,
                        config,
                        // Only real failures count: a full queue (BulkheadException) or a 4xx is not the service
                        // failing.
                        DownstreamFailure.class,
                        DownstreamFailure::retryable,
                        state -> {
                            breakerState.set(state);
                            LOG.infof("circuit breaker of %s is now %s", service, state);
                        })
                .withBulkhead()
                .limit(config.maxConcurrent())
                .queueSize(config.maxQueued())
                .done()
                // Each call runs on the calling thread, at once. With thread offload off, SmallRye Fault Tolerance
                // (6.10) remembers the caller's Vert.x event loop (RememberEventLoop) and hands both the start and the
                // completion of every call to it through its VertxExecutor: two event-loop tasks, each with a
                // context-propagation capture (SlowContextualRunnable), per proxied request that is already on its
                // context. A direct executor does neither; whatever completes elsewhere (a retry after the guard's
                // timer, a call let out of the bulkhead's queue) goes back to the request's context in
                // handleProxyRequest, which never relied on the guard for that.
                .withThreadOffload(true)
                .withThreadOffloadExecutor(Runnable::run)
                .build();
    }

    void close() {
        for (HttpClient client : clients.all()) {
            client.close();
        }
    }

    /** The state of the service's circuit breaker (for health and tests). */
    CircuitBreakerState breakerState() {
        return breakerState.get();
    }

    /** Proxies {@code request} (paused, not yet read) to the service. */
    void proxy(HttpServerRequest request, Forwarding forwarding) {
        HANDING_OVER.set(forwarding);
        try {
            proxy.handle(request);
        } finally {
            HANDING_OVER.remove();
        }
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        Forwarding forwarding = HANDING_OVER.get();
        context.set(FORWARDING, forwarding);
        boolean idempotent = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD;
        if (idempotent) {
            // A read is sent without a body, so that it can be sent again on a retry; whatever the caller sent
            // with it is drained, so the connection can carry its next request.
            request.setBody(null);
            request.proxiedRequest().resume();
        }
        if (forwarding.body() != null) {
            // Read and checked at the edge already (and the caller had its 100 then): the same bytes go on.
            request.setBody(Body.body(forwarding.body()));
            request.headers().remove(HttpHeaders.EXPECT);
        }
        request.setAuthority(authority);
        prepareHeaders(request, forwarding);
        if (!idempotent && "100-continue".equalsIgnoreCase(request.headers().get(HttpHeaders.EXPECT))) {
            // The caller (curl for bodies above 1 MiB, the JDK client with expectContinue) sends the body only after
            // a 100, and vertx-http-proxy never relays the service's own: without this, curl waited its full second
            // (--expect100-timeout) on every upload through the gateway. The caller is admitted (identity, scope, rate
            // limit) by now; if the service still refuses, its answer comes while the body is on its way, as it did
            // after curl's wait.
            request.headers().remove(HttpHeaders.EXPECT);
            request.proxiedRequest().response().writeContinue();
        }
        Context vertxContext = Vertx.currentContext();
        CompletionStage<ProxyResponse> guarded = guard.get(
                () -> {
                    // Every attempt starts on the request's context (a retry may be scheduled from another thread).
                    Promise<ProxyResponse> attempt = Promise.promise();
                    ProxyRoutes.onContext(
                            vertxContext, () -> attempt(request, idempotent).onComplete(attempt));
                    return attempt.future().toCompletionStage();
                },
                RESPONSE);
        Promise<ProxyResponse> answer = Promise.promise();
        guarded.whenComplete((response, failure) -> ProxyRoutes.onContext(vertxContext, () -> {
            if (failure == null) {
                answer.complete(response);
            } else {
                answer.complete(problem(request, failure));
            }
        }));
        return answer.future();
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        Forwarding forwarding = context.get(FORWARDING, Forwarding.class);
        ProxyResponse response = context.response();
        MultiMap headers = response.headers();
        // Hop-by-hop headers describe the service's connection to the gateway, not the caller's: RFC 9110 7.6.1.
        for (String listed : headers.getAll("Connection")) {
            for (String name : listed.split(",")) {
                headers.remove(name.trim());
            }
        }
        HOP_BY_HOP.forEach(headers::remove);
        String location = headers.get("Location");
        if (location != null && forwarding != null) {
            headers.set("Location", Locations.publicLocation(location, base, forwarding.publicOrigin()));
        }
        int status = response.getStatusCode();
        EdgeCache.Fill fill = forwarding == null ? null : forwarding.fill();
        if (fill != null) {
            Future<Void> cached = cacheAnswer(context, fill, status, headers);
            if (cached != null) {
                return cached;
            }
        }
        if (status == 304 || status == 204) {
            // No body by definition (RFC 9110 15.3.5, 15.4.5), so no framing either: written here, because the proxy
            // would frame an answer without Content-Length as chunked.
            HttpServerResponse out = context.request().proxiedRequest().response();
            out.setStatusCode(status);
            out.headers().addAll(headers);
            response.release();
            return out.end();
        }
        return relay(context);
    }

    /**
     * Relays the service's answer through the library, with the service's {@code Date} kept as it was but not parsed
     * and formatted again on the way ({@link DateKeepingStream}).
     */
    private static Future<Void> relay(ProxyContext context) {
        ProxyResponse response = context.response();
        Body body = response.getBody();
        String date = response.headers().get(HttpHeaders.DATE);
        if (body != null && date != null) {
            response.headers().remove(HttpHeaders.DATE);
            response.setBody(Body.body(
                    new DateKeepingStream(
                            body.stream(), context.request().proxiedRequest().response(), date),
                    body.length()));
        }
        return context.sendResponse();
    }

    /**
     * The {@link EdgeCache}'s part of an answer to a cache-eligible {@code GET}: a {@code 304} to the gateway's own
     * revalidation is answered from the refreshed entry (null is returned for everything else, which goes on as
     * usual); a storable {@code 200} is relayed while its body is copied, and stored once relayed whole.
     */
    private static Future<Void> cacheAnswer(ProxyContext context, EdgeCache.Fill fill, int status, MultiMap headers) {
        ProxyResponse response = context.response();
        if (status == 304 && fill.stale() != null) {
            long now = System.currentTimeMillis();
            // Read before release(), which clears the headers.
            EdgeCache.Entry entry = fill.cache().revalidated(fill.key(), fill.stale(), headers, now);
            response.release();
            return EdgeCache.serve(context.request().proxiedRequest(), entry, "REVALIDATED", now);
        }
        if (!fill.cache().storableAnswer(status, headers)) {
            if (fill.stale() != null) {
                // What was stored is no longer what the service answers (gone, hidden, no longer shareable).
                fill.cache().remove(fill.key());
            }
            return null;
        }
        MultiMap stored = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        headers.set("X-Cache", "MISS");
        long now = System.currentTimeMillis();
        Body body = response.getBody();
        Buffer copy = Buffer.buffer((int) Math.max(0, body.length()));
        response.setBody(Body.body(new CopyingStream(body.stream(), copy), body.length()));
        return relay(context).andThen(sent -> {
            if (sent.succeeded() && copy.length() == body.length()) {
                fill.cache().store(fill.key(), stored, copy, now);
            }
        });
    }

    private Future<ProxyResponse> attempt(ProxyRequest request, boolean idempotent) {
        RequestOptions options = new RequestOptions()
                .setHost(base.getHost())
                .setPort(port(base))
                .setMethod(request.getMethod())
                .setURI(request.getURI());
        return clients.current()
                .request(options)
                .recover(e -> Future.failedFuture(new DownstreamFailure(
                        DownstreamFailure.Kind.CONNECT, 0, idempotent, service + ": " + e.getMessage(), e)))
                .compose(outbound -> send(request, outbound, idempotent));
    }

    private Future<ProxyResponse> send(ProxyRequest request, HttpClientRequest outbound, boolean idempotent) {
        long timeout = config.responseTimeout().toMillis();
        ResponseTimer timer = new ResponseTimer(outbound, timeout);
        Body body = request.getBody();
        if (body == null) {
            timer.start();
        } else {
            // The time to answer starts when the caller's body has been sent to the end.
            request.setBody(Body.body(new EndSignallingStream(body.stream(), timer::start), body.length()));
        }
        return request.send(outbound)
                .andThen(done -> timer.stop())
                .recover(e -> Future.failedFuture(
                        callerGone(request, e, timer)
                                // The caller went away (and the proxy reset the call): not the service's failure,
                                // so neither counted by the breaker nor retried.
                                ? new CallerGoneException(service, e)
                                : new DownstreamFailure(
                                        timer.expired() ? DownstreamFailure.Kind.TIMEOUT : DownstreamFailure.Kind.RESET,
                                        0,
                                        idempotent,
                                        service
                                                + (timer.expired()
                                                        ? ": no response within " + timeout + " ms"
                                                        : ": " + e.getMessage()),
                                        e)))
                .compose(response -> {
                    if (response.getStatusCode() >= 500) {
                        int status = response.getStatusCode();
                        // Drain and drop the service's error body: the caller gets the gateway's problem.
                        response.release();
                        return Future.failedFuture(new DownstreamFailure(
                                DownstreamFailure.Kind.STATUS,
                                status,
                                idempotent,
                                service + " answered " + status,
                                null));
                    }
                    return Future.succeededFuture(response);
                });
    }

    /**
     * Whether a failed call failed because its caller went away. A caller that closes its connection has its response
     * marked closed before the proxy resets the service's call; a caller whose connection breaks (a TCP reset: wrk
     * ending a run with answers unread, a client killed) reaches the proxy as an I/O error on the response first, and
     * the response is marked closed only afterwards. An HTTP/1.1 call to the service is reset only by the gateway itself:
     * by the response timer, or by the proxy because the caller's side failed; so a reset the timer did not make is
     * the caller's.
     */
    private static boolean callerGone(ProxyRequest request, Throwable failure, ResponseTimer timer) {
        return request.proxiedRequest().response().closed()
                || (failure instanceof StreamResetException && !timer.expired());
    }

    /** Gives up on a request whose response headers have not come within the timeout. */
    private final class ResponseTimer {
        private final HttpClientRequest outbound;
        private final long timeout;
        private long id = -1;
        private boolean stopped;
        private boolean expired;

        ResponseTimer(HttpClientRequest outbound, long timeout) {
            this.outbound = outbound;
            this.timeout = timeout;
        }

        void start() {
            if (!stopped && id == -1) {
                id = vertx.setTimer(timeout, t -> {
                    expired = true;
                    outbound.reset();
                });
            }
        }

        void stop() {
            stopped = true;
            if (id != -1) {
                vertx.cancelTimer(id);
            }
        }

        boolean expired() {
            return expired;
        }
    }

    /** The gateway's own answer when the service could not give one. */
    private ProxyResponse problem(ProxyRequest request, Throwable failure) {
        ProblemType type;
        String detail;
        String retryAfter = Integer.toString(config.retryAfterSeconds());
        if (failure instanceof DownstreamFailure f && f.kind() == DownstreamFailure.Kind.STATUS && f.status() != 503) {
            type = StandardProblem.BAD_GATEWAY;
            detail = "The " + service + " service failed; try again later.";
            retryAfter = null;
        } else if (failure instanceof BulkheadException) {
            type = StandardProblem.UNAVAILABLE;
            detail = "The " + service + " service is saturated; try again later.";
        } else {
            type = StandardProblem.UNAVAILABLE;
            detail = "The " + service + " service is unavailable; try again later.";
        }
        EdgeProblems.Rendered rendered = EdgeProblems.render(
                json,
                type,
                detail,
                failure.toString(),
                request.proxiedRequest().path(),
                retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
        ProxyResponse response = request.release().response().setStatusCode(rendered.status());
        rendered.headers().forEach(response::putHeader);
        return response.setBody(Body.body(rendered.body()));
    }

    private void prepareHeaders(ProxyRequest request, Forwarding forwarding) {
        var headers = request.headers();
        // The gateway states who called; what a caller claims about earlier hops is not trusted.
        headers.remove("Forwarded");
        // The trace context sent on is the gateway's own server span for this request (OpenTelemetry's Vert.x server
        // instrumentation made it a child of the caller's), not the caller's header copied.
        headers.remove("traceparent");
        headers.remove("tracestate");
        propagator.inject(io.opentelemetry.context.Context.current(), headers, HEADER_SETTER);
        headers.set("X-Forwarded-For", forwarding.clientIp());
        // The origin is "scheme://authority", as ProxyRoutes built it (not parsed again as a URI per request).
        String origin = forwarding.publicOrigin();
        int separator = origin.indexOf("://");
        headers.set("X-Forwarded-Proto", origin.substring(0, separator));
        headers.set("X-Forwarded-Host", origin.substring(separator + 3));
        headers.set(RequestIds.HEADER, forwarding.requestId());
        forwarding.extraHeaders().forEach(headers::set);
        if (forwarding.fill() != null && forwarding.fill().stale() != null) {
            // The edge cache revalidates its stale copy (RFC 9111 4.3.1); the caller's own conditional is answered
            // from the copy afterwards.
            headers.set(HttpHeaders.IF_NONE_MATCH, forwarding.fill().stale().etag());
            headers.remove(HttpHeaders.IF_MODIFIED_SINCE);
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
