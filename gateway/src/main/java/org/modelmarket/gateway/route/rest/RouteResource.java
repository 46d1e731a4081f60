package org.modelmarket.gateway.route.rest;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestMulti;
import org.modelmarket.gateway.client.CallerToken;
import org.modelmarket.gateway.route.Forwarded;
import org.modelmarket.gateway.route.Outbound;
import org.modelmarket.gateway.route.Route;
import org.modelmarket.gateway.route.RouteTable;
import org.modelmarket.gateway.route.client.RouteClient;

import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The pass-through routes of {@link RouteTable}: method, path, query, body and the headers that matter go to the
 * owning service, and its answer comes back streamed. Resources with more specific paths (files, entitlements) are
 * matched first; whatever reaches this resource and is not in the table is a 404 problem.
 *
 * <p>The methods permit everyone because the table decides who may call: anonymous callers are refused writes and
 * token-only reads with a 401 at the edge; roles and membership are the services' to check, and their 403 problems
 * come back unchanged. The OpenAPI document lists the table's routes instead of these methods ({@link RouteOpenApi}).
 */
@Path("/api/v1")
public class RouteResource {

    /** Request headers passed on; the token is taken from the validated identity, not from the headers. */
    private static final List<String> REQUEST_HEADERS = List.of(
            HttpHeaders.CONTENT_TYPE,
            HttpHeaders.CONTENT_LENGTH,
            HttpHeaders.ACCEPT,
            HttpHeaders.ACCEPT_LANGUAGE,
            HttpHeaders.IF_MATCH,
            HttpHeaders.IF_NONE_MATCH);

    private final RouteClient client;
    private final CallerToken callerToken;

    RouteResource(RouteClient client, CallerToken callerToken) {
        this.client = client;
        this.callerToken = callerToken;
    }

    @GET
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Multi<Buffer> get(@Context HttpServerRequest request) {
        return forward(request);
    }

    @POST
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Multi<Buffer> post(@Context HttpServerRequest request) {
        return forward(request);
    }

    @PUT
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Multi<Buffer> put(@Context HttpServerRequest request) {
        return forward(request);
    }

    @DELETE
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Multi<Buffer> delete(@Context HttpServerRequest request) {
        return forward(request);
    }

    @PATCH
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Multi<Buffer> patch(@Context HttpServerRequest request) {
        return forward(request);
    }

    private Multi<Buffer> forward(HttpServerRequest request) {
        Route route = switch (RouteTable.lookup(request.method().name(), request.path())) {
            case RouteTable.Lookup.Found found -> found.route();
            case RouteTable.Lookup.WrongMethod wrong ->
                throw new NotAllowedException(
                        "This resource does not allow " + request.method().name() + ".",
                        wrong.allowed().iterator().next(),
                        wrong.allowed().stream().skip(1).toArray(String[]::new));
            case RouteTable.Lookup.Unknown unknown -> throw new NotFoundException("No such resource.");
        };
        Uni<Forwarded> answer = callerToken
                .authorization()
                .map(authorization -> outbound(route, request, authorization))
                .flatMap(call -> client.forward(route.service(), call));
        return RestMulti.fromUniResponse(answer, Forwarded::body, Forwarded::headers, Forwarded::status);
    }

    private static Outbound outbound(Route route, HttpServerRequest request, Optional<String> authorization) {
        if (route.access() == Route.Access.AUTHENTICATED && authorization.isEmpty()) {
            throw new UnauthorizedException();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : REQUEST_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        boolean read = "GET".equals(route.method());
        String uri = request.query() == null ? request.path() : request.path() + "?" + request.query();
        return new Outbound(
                route.method(),
                uri,
                headers,
                authorization,
                read ? null : io.vertx.mutiny.core.http.HttpServerRequest.newInstance(request),
                origin(request));
    }

    private static String origin(HttpServerRequest request) {
        URI uri = URI.create(request.absoluteURI());
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
