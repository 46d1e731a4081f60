package org.modelmarket.gateway.route.rest;

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
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.modelmarket.gateway.route.RouteTable;

import io.vertx.core.http.HttpServerRequest;

/**
 * What reaches Quarkus REST under {@code /api/v1} without being one of the gateway's own resources: the table's
 * routes are proxied before ({@code ProxyRoutes}), so here a path the table knows with another method is a 405 problem
 * with {@code Allow}, and any other path a 404 problem. The gateway is not an open proxy.
 */
@Path("/api/v1")
public class RouteResource {

    @GET
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Response get(@Context HttpServerRequest request) {
        throw refusal(request);
    }

    @POST
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Response post(@Context HttpServerRequest request) {
        throw refusal(request);
    }

    @PUT
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Response put(@Context HttpServerRequest request) {
        throw refusal(request);
    }

    @DELETE
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Response delete(@Context HttpServerRequest request) {
        throw refusal(request);
    }

    @PATCH
    @Path("/{path: .+}")
    @PermitAll
    @Operation(hidden = true)
    public Response patch(@Context HttpServerRequest request) {
        throw refusal(request);
    }

    private static RuntimeException refusal(HttpServerRequest request) {
        if (RouteTable.lookup(request.method().name(), request.path()) instanceof RouteTable.Lookup.WrongMethod wrong) {
            return new NotAllowedException(
                    "This resource does not allow " + request.method().name() + ".",
                    wrong.allowed().iterator().next(),
                    wrong.allowed().stream().skip(1).toArray(String[]::new));
        }
        return new NotFoundException("No such resource.");
    }
}
