package org.modelmarket.gateway.token.auth;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.modelmarket.gateway.route.proxy.EdgeProblems;
import org.modelmarket.gateway.token.TokenService;
import org.modelmarket.platform.problem.StandardProblem;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The edge check of API tokens, before any HTTP route of the gateway (pass-through, own resources, Hub API): a
 * request with an {@code hf_} token must have the scope its route needs and stay within the token's listing or
 * namespace restriction ({@link ScopeRules}), else it is refused with a 403 that names what is missing, in the form
 * of the surface (problem+json, the Hub's JSON error). Requests without an {@code hf_} token pass untouched; an
 * invalid one is left to the route, which answers its own 401. gRPC does not pass through the router: its methods
 * check with {@link GrpcScopes}.
 */
@ApplicationScoped
public class ScopeGuard {

    private final ObjectMapper json;
    private final TokenService tokens;
    private final RestrictedMetering metering;

    ScopeGuard(ObjectMapper json, TokenService tokens, RestrictedMetering metering) {
        this.json = json;
        this.tokens = tokens;
        this.metering = metering;
    }

    void register(@Observes Router router) {
        int order = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1;
        router.route().order(order).handler(this::handle);
        // Same order, registered after: runs right after this check, before the pass-through route.
        metering.register(router, order);
    }

    private void handle(RoutingContext routing) {
        String secret = ApiTokenMechanism.secret(routing);
        if (secret == null) {
            routing.next();
            return;
        }
        routing.request().pause();
        Context context = Vertx.currentContext();
        // The token service's own lookup (the identity provider then finds it in the cache): an unknown, revoked or
        // expired token is left to the route, so that each surface answers its own 401 through the Quarkus identity.
        tokens.authenticate(secret)
                .subscribe()
                .with(
                        found -> context.runOnContext(v -> check(routing, found)),
                        failure -> context.runOnContext(v -> {
                            routing.request().resume();
                            routing.next();
                        }));
    }

    private void check(RoutingContext routing, Optional<TokenService.Authenticated> token) {
        routing.request().resume();
        if (token.isEmpty()) {
            routing.next();
            return;
        }
        String path = routing.request().path();
        String method = routing.request().method().name();
        var requirement = ScopeRules.required(method, path);
        Optional<ScopeRules.Refusal> refusal = ScopeRules.check(token.get().token(), requirement);
        if (refusal.isEmpty()) {
            routing.next();
            return;
        }
        if (RestrictedMetering.checksBody(method, path, token.get().token())) {
            // A usage report names its listing in its body: checked there.
            metering.defer(routing, token.get().token());
            return;
        }
        String detail = refusal.get().detail();
        var response = routing.response().setStatusCode(403);
        if (path.startsWith("/api/v1/") || path.startsWith("/.well-known/")) {
            EdgeProblems.Rendered rendered =
                    EdgeProblems.render(json, StandardProblem.FORBIDDEN, detail, path, Map.of());
            response.setStatusCode(rendered.status());
            rendered.headers().forEach(response::putHeader);
            response.end(rendered.body());
        } else {
            // The Hub clients read {"error": ...} and X-Error-Message (HF-PROTOCOL §2.5).
            response.putHeader("Content-Type", "application/json")
                    .putHeader("X-Error-Message", detail)
                    .end(json.createObjectNode().put("error", detail).toString());
        }
    }
}
