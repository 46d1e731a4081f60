package org.modelmarket.gateway.route.proxy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.Config;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.edge.RequestIds;
import org.modelmarket.gateway.file.UploadRedirects;
import org.modelmarket.gateway.ratelimit.RateLimiter;
import org.modelmarket.gateway.route.Route;
import org.modelmarket.gateway.route.RouteTable;
import org.modelmarket.gateway.search.SearchLimits;
import org.modelmarket.gateway.token.auth.ApiTokenIdentity;
import org.modelmarket.gateway.token.auth.ApiTokenMechanism;
import org.modelmarket.gateway.token.auth.RestrictedMetering;
import org.modelmarket.platform.problem.ProblemType;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.VerifiedBearerMechanism;
import org.modelmarket.platform.security.VerifiedTokenRecorder;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the pass-through routes of {@link RouteTable}: a request whose method and path are in the table is checked
 * at the edge (a token route refuses anonymous callers; a token that is sent must be valid) and proxied to the
 * owning service by its {@link ServiceProxy}. Anything else goes on to Quarkus REST, where the gateway's own
 * resources live and the rest is a 404 or 405 problem ({@code RouteResource}).
 *
 * <p>A Vert.x route rather than a REST resource: the proxy works on the raw request and response, so bodies stream
 * both ways untouched and the HTTP framing is the proxy's, not a copy of the service's headers.
 */
@ApplicationScoped
public class ProxyRoutes {

    /** Asks artifact-service for a 307 to a short-lived signed URL instead of the bytes. */
    static final Map<String, String> SIGNED_REDIRECT = Map.of("X-ModelMarket-Redirect", "signed");

    /**
     * The order of the early route (anonymous callers and bearer tokens already verified): after CORS ({@code
     * -SecurityHandlerPriorities.CORS}), before authentication ({@code -AUTHENTICATION}).
     */
    static final int ANONYMOUS_ORDER = -SecurityHandlerPriorities.AUTHENTICATION - 10;

    /** Where Quarkus' HTTP server metrics look for a request's path template. */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private final Map<String, ServiceProxy> proxies = new LinkedHashMap<>();
    private final ObjectMapper json;
    private final GatewayConfig.Files.Mode downloads;
    private final RateLimiter limiter;
    private final UploadRedirects uploads;
    /** The shared cache of anonymous reads; null when switched off. */
    private final EdgeCache cache;
    /**
     * Finds the identity quarkus-oidc verified for a bearer token; null when an augmentor other than the cache's
     * recorder exists, since the identity found is the one before augmentation.
     */
    private final VerifiedBearerMechanism verifiedBearer;

    ProxyRoutes(
            Vertx vertx,
            GatewayConfig config,
            Config mpConfig,
            ObjectMapper json,
            UploadRedirects uploads,
            RateLimiter limiter,
            OpenTelemetry telemetry,
            VerifiedBearerMechanism verifiedBearer,
            @Any Instance<SecurityIdentityAugmentor> augmentors) {
        this.json = json;
        boolean onlyTheRecorder = augmentors.stream().allMatch(VerifiedTokenRecorder.class::isInstance);
        this.verifiedBearer = onlyTheRecorder ? verifiedBearer : null;
        this.uploads = uploads;
        this.downloads = config.files().download();
        this.limiter = limiter;
        this.cache = config.edgeCache().enabled() ? new EdgeCache(config.edgeCache()) : null;
        for (String service : RouteTable.services()) {
            URI base = URI.create(mpConfig.getValue("quarkus.rest-client." + service + ".url", String.class));
            GatewayConfig.Downstream downstream = config.downstream(service);
            proxies.put(
                    service,
                    new ServiceProxy(
                            vertx,
                            service,
                            base,
                            downstream,
                            json,
                            telemetry.getPropagators().getTextMapPropagator()));
        }
    }

    @PreDestroy
    void close() {
        proxies.values().forEach(ServiceProxy::close);
    }

    void register(@Observes Router router) {
        for (String paths : List.of("/api/v1/*", "/.well-known/*")) {
            router.route(paths).order(ANONYMOUS_ORDER).handler(this::handleAnonymous);
            router.route(paths)
                    .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                    .handler(this::handle)
                    .failureHandler(this::failure);
        }
    }

    /**
     * A request without credentials, or with a bearer token quarkus-oidc has already verified (the platform's
     * verified-token cache, until the token's {@code exp}), is served before Quarkus' authentication filter (and
     * Quarkus REST's, which on every request looks up a REST endpoint's path template for its metrics), so that it
     * pays for neither; CORS (order {@code -CORS}) and the request id have run by then. For a signed-in read that chain
     * (lazy authentication's Unis with a context capture at each step, the permission check, the REST filter) was
     * most of what the token still cost once its verification was cached. Everything else (a token not verified yet,
     * forged, altered or expired, another scheme, an {@code hf_} API token, whose scopes {@code ScopeGuard} checks and
     * whose revocation its own lookup sees) and paths that are not pass-through routes go on to {@link #handle} through
     * the security layer, and to Quarkus REST.
     */
    private void handleAnonymous(RoutingContext routing) {
        String authorization = routing.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            handle(routing, null);
            return;
        }
        // An hf_ secret is never a token quarkus-oidc verified, so it would not be found; it is not even looked up,
        // so that ScopeGuard's check and the token's own lookup (revocation) always run for it.
        SecurityIdentity verified = verifiedBearer == null || ApiTokenMechanism.secret(routing) != null
                ? null
                : verifiedBearer.verifiedIdentity(authorization);
        if (verified == null) {
            routing.next();
            return;
        }
        handle(routing, verified);
    }

    /**
     * Lazy authentication also reports an invalid token by failing the routing context: a table route answers it
     * with its own 401 problem (once, whichever of the two reports comes first); anything else is left to the next
     * handler.
     */
    private void failure(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (routing.failure() instanceof AuthenticationException
                && RouteTable.lookup(request.method().name(), request.path()) instanceof RouteTable.Lookup.Found) {
            refuse(routing, routing.failure());
        } else {
            routing.next();
        }
    }

    /**
     * Whether bearer tokens already verified are served by the early route (false when an augmentor other than the
     * verified-token recorder exists); for tests, which would otherwise pass on the slower path unnoticed.
     */
    public boolean servesVerifiedTokensEarly() {
        return verifiedBearer != null;
    }

    /** The state of {@code service}'s circuit breaker. */
    public CircuitBreakerState breakerState(String service) {
        return proxies.get(service).breakerState();
    }

    private void handle(RoutingContext routing) {
        handle(routing, null);
    }

    /**
     * Serves a pass-through route; {@code known} is the identity of a bearer token found verified by {@link
     * #handleAnonymous} (null: none, or not looked up).
     */
    private void handle(RoutingContext routing, SecurityIdentity known) {
        HttpServerRequest request = routing.request();
        if (!(RouteTable.lookup(request.method().name(), request.path()) instanceof RouteTable.Lookup.Found found)) {
            // Not a pass-through route: an own resource of the gateway, or a 404/405 problem from Quarkus REST.
            routing.next();
            return;
        }
        Route route = found.route();
        // Nothing of the body is read until the service's connection is ready for it.
        request.pause();
        Context context = Vertx.currentContext();
        // The request metric names the route, not the raw path (one timer per template, not per listing: with raw
        // paths Micrometer stopped at 100 URIs and refused every further one on each request). Quarkus' Micrometer
        // binder reads the template from this local of the request's context.
        context.putLocal(URL_PATH_TEMPLATE, route.template());
        if (known != null) {
            admit(routing, route, known);
            return;
        }
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            // No credentials: the caller is anonymous. Both of the gateway's mechanisms (OIDC bearer tokens and API
            // tokens) read only this header, so asking the security layer would only say so through a chain of Unis
            // with a context capture at each step: a sizeable share of the CPU of an anonymous read.
            admit(routing, route, null);
            return;
        }
        QuarkusHttpUser.getSecurityIdentity(routing, null)
                .subscribe()
                .with(
                        identity -> onContext(context, () -> admit(routing, route, identity)),
                        failure -> onContext(context, () -> refuse(routing, failure)));
    }

    /**
     * Runs {@code action} on the request's {@code context}: at once when already there (an anonymous caller's or a
     * cached identity is known at once), else as a task on it. A task per request costs an event-loop round trip.
     */
    static void onContext(Context context, Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private void admit(RoutingContext routing, Route route, SecurityIdentity identity) {
        boolean anonymous = identity == null || identity.isAnonymous();
        if (route.access() == Route.Access.AUTHENTICATED && anonymous) {
            problem(
                    routing,
                    StandardProblem.UNAUTHORIZED,
                    "This resource needs a bearer token.",
                    Map.of("WWW-Authenticate", "Bearer"));
            return;
        }
        if (limiter.enabled()) {
            RateLimiter.Decision decision = limiter.take(RateLimiter.tierOf(route), identity, clientIp(routing));
            RateLimiter.announce(routing.response(), decision);
            if (!decision.allowed()) {
                problem(routing, StandardProblem.TOO_MANY_REQUESTS, decision.detail(), Map.of());
                return;
            }
        }
        String tooLong = SearchLimits.refusal(route.template(), () -> routing.queryParam("q"));
        if (tooLong != null) {
            // search-service would refuse it too, and past its request-line limit with a bare 414.
            problem(routing, StandardProblem.VALIDATION, tooLong, Map.of());
            return;
        }
        EdgeCache.Fill fill = null;
        if (cache != null && identity == null && EdgeCache.eligible(routing.request())) {
            // After the rate limit: a cached answer counts like any other.
            HttpServerRequest request = routing.request();
            String key = request.getHeader(HttpHeaders.HOST) + " " + request.uri();
            long now = System.currentTimeMillis();
            EdgeCache.Entry entry = cache.get(key);
            if (entry != null && entry.fresh(now)) {
                EdgeCache.serve(request, entry, "HIT", now);
                return;
            }
            if (request.method() == HttpMethod.GET) {
                fill = new EdgeCache.Fill(cache, key, entry != null && entry.etag() != null ? entry : null);
            }
        }
        ServiceProxy proxy = proxies.get(route.service());
        Map<String, String> headers = forwardedHeaders(route, identity);
        ServiceProxy.Forwarding forwarding = new ServiceProxy.Forwarding(
                publicOrigin(routing),
                RequestIds.of(routing),
                clientIp(routing),
                headers,
                fill,
                RestrictedMetering.body(routing));
        Runnable relay = () -> proxy.proxy(routing.request(), forwarding);
        // An upload whose client asked for a redirect to a signed URL (file/UploadRedirects), else the relay.
        var upload = uploads.target(route, routing.request());
        if (upload.isPresent()) {
            uploads.redirect(
                    routing,
                    upload.get(),
                    headers.getOrDefault("Authorization", routing.request().getHeader(HttpHeaders.AUTHORIZATION)),
                    relay);
            return;
        }
        relay.run();
    }

    /**
     * What the gateway adds to the proxied request: for a caller authenticated by an API token, the gateway's own
     * short-lived JWT replaces the {@code hf_} secret (the services never see the secret); plus {@link #extraHeaders}.
     */
    private Map<String, String> forwardedHeaders(Route route, SecurityIdentity identity) {
        Map<String, String> extra = extraHeaders(route, downloads);
        var token = ApiTokenIdentity.of(identity);
        if (token.isEmpty()) {
            return extra;
        }
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Authorization", "Bearer " + token.get().forwardedJwt());
        return headers;
    }

    /**
     * In redirect mode a download (GET or HEAD of a file) asks artifact-service for a {@code 307} to its signed URL,
     * which carries {@code X-Repo-Commit}, {@code X-Linked-Etag}, {@code X-Linked-Size} and {@code ETag} itself
     * (HF-PROTOCOL.md 2.3); its {@code Location} is rewritten to the gateway's origin, where the signed path is a
     * route of its own.
     */
    static Map<String, String> extraHeaders(Route route, GatewayConfig.Files.Mode downloads) {
        boolean download = "GET".equals(route.method()) && route.template().endsWith("/files/{path}");
        return download && downloads == GatewayConfig.Files.Mode.REDIRECT ? SIGNED_REDIRECT : Map.of();
    }

    private void refuse(RoutingContext routing, Throwable failure) {
        if (failure instanceof AuthenticationException) {
            problem(
                    routing,
                    StandardProblem.UNAUTHORIZED,
                    "The bearer token is invalid or expired.",
                    Map.of("WWW-Authenticate", "Bearer"));
        } else {
            problem(
                    routing,
                    StandardProblem.UNAVAILABLE,
                    "The identity provider could not be reached; try again later.",
                    Map.of("Retry-After", "5"));
        }
    }

    private void problem(RoutingContext routing, ProblemType type, String detail, Map<String, String> headers) {
        if (routing.response().headWritten()) {
            // Already answered (an invalid token is reported twice, see failure()).
            return;
        }
        EdgeProblems.Rendered rendered =
                EdgeProblems.render(json, type, detail, routing.request().path(), headers);
        // Let the unread body drain so that the connection stays usable.
        routing.request().resume();
        var response = routing.response().setStatusCode(rendered.status());
        rendered.headers().forEach(response::putHeader);
        response.end(rendered.body());
    }

    private static String publicOrigin(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        String host = request.getHeader("Host");
        return request.scheme() + "://" + (host == null ? request.localAddress().hostAddress() : host);
    }

    private static String clientIp(RoutingContext routing) {
        var address = routing.request().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }
}
