package org.modelmarket.gateway.ratelimit;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.resolve.ResolveRoutes;
import org.modelmarket.gateway.hub.rest.HubErrorShape;
import org.modelmarket.gateway.route.RouteTable;
import org.modelmarket.gateway.route.proxy.EdgeProblems;
import org.modelmarket.platform.problem.StandardProblem;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The rate limit of everything the gateway serves itself: the Hugging Face compatible API ({@code /api/models/...},
 * {@code resolve}/{@code raw}, whoami, commits, LFS), its own REST resources under {@code /api/v1} (the model page,
 * API tokens) and gRPC. The pass-through routes take their token in {@code ProxyRoutes} (their anonymous callers are
 * answered before this route runs); both take it from the same {@link RateLimiter}, so a caller has one quota per tier
 * whichever API it calls. Beyond it, each API answers in its own error shape: a {@code 429} problem on {@code /api/v1},
 * a {@code 429} with the Hub's {@code {"error": ...}} and {@code X-Error-Message} on the Hub routes, and
 * {@code RESOURCE_EXHAUSTED} on gRPC; always with {@code Retry-After} and the {@code RateLimit} headers.
 *
 * <p>A Vert.x route, ordered after authentication and authorization (so the caller's identity is known, and a rejected
 * token is still answered by each route as before, uncounted) and before the gRPC server's route and every route of
 * the gateway: one place in front of them all, none of their code touched.
 */
@ApplicationScoped
public class RateLimitRoute {

    /** Just after Quarkus' authorization handler ({@code -AUTHORIZATION}); the gRPC route's order is 0 or more. */
    static final int ORDER = -SecurityHandlerPriorities.AUTHORIZATION + 1;

    private final RateLimiter limiter;
    private final ObjectMapper json;

    RateLimitRoute(RateLimiter limiter, ObjectMapper json) {
        this.limiter = limiter;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (!limiter.enabled() || !limited(request.method().name(), request.path())) {
            routing.next();
            return;
        }
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            limit(routing, null);
            return;
        }
        Context context = Vertx.currentContext();
        QuarkusHttpUser.getSecurityIdentity(routing, null)
                .subscribe()
                .with(
                        identity -> onContext(context, () -> limit(routing, identity)),
                        // A rejected token: the route answers it (401) as before; not counted, as on the table routes.
                        failure -> onContext(context, routing::next));
    }

    /**
     * Whether this route counts the call: not Quarkus' own endpoints ({@code /q/...}: health, metrics), not gRPC
     * health checks, and not the pass-through routes, which {@code ProxyRoutes} counts.
     */
    static boolean limited(String method, String path) {
        if (path.startsWith("/q/") || path.startsWith("/grpc.health.v1.")) {
            return false;
        }
        boolean table = path.startsWith("/api/v1/") || path.startsWith("/.well-known/");
        return !(table && RouteTable.lookup(method, path) instanceof RouteTable.Lookup.Found);
    }

    private void limit(RoutingContext routing, SecurityIdentity identity) {
        HttpServerRequest request = routing.request();
        RateLimiter.Decision decision =
                limiter.take(RateLimiter.tierOf(request.method().name(), request.path()), identity, clientIp(request));
        HttpServerResponse response = routing.response();
        RateLimiter.announce(response, decision);
        if (decision.allowed()) {
            routing.next();
            return;
        }
        // The request arrives paused (Quarkus resumes it when a handler reads it): let its body drain so that the
        // connection stays usable.
        request.resume();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith("application/grpc")) {
            // A trailers-only answer (HTTP/2 headers that end the stream): the gRPC status, and Retry-After and the
            // RateLimit headers as its trailers. The detail is printable ASCII without '%': no percent-encoding.
            response.setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/grpc")
                    .putHeader("grpc-status", Integer.toString(Status.Code.RESOURCE_EXHAUSTED.value()))
                    .putHeader("grpc-message", decision.detail())
                    .end();
        } else if (HubErrorShape.hubPath(request.path()) || RateLimiter.hubResolve(request.path())) {
            ResolveRoutes.fail(routing, new HubError(429, null, decision.detail()));
        } else {
            EdgeProblems.Rendered problem = EdgeProblems.render(
                    json, StandardProblem.TOO_MANY_REQUESTS, decision.detail(), request.path(), Map.of());
            response.setStatusCode(problem.status());
            problem.headers().forEach(response::putHeader);
            response.end(problem.body());
        }
    }

    private static void onContext(Context context, Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private static String clientIp(HttpServerRequest request) {
        var address = request.remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }
}
