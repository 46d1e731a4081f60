package org.modelmarket.platform.testapp;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The test app's REST API: one endpoint per kind of answer the problem mappers must shape. */
@Path("/widgets")
@Produces(MediaType.APPLICATION_JSON)
public class WidgetResource {

    private final WidgetService widgets;
    private final CallerContext callers;

    public WidgetResource(WidgetService widgets, CallerContext callers) {
        this.widgets = widgets;
        this.callers = callers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@Valid WidgetRequest request) {
        return widgets.create(request.name())
                .map(widget -> Response.created(URI.create("/widgets/" + widget.id))
                        .entity(widget)
                        .build());
    }

    @GET
    @Path("/{id}")
    public Uni<Widget> get(@PathParam("id") UUID id) {
        return widgets.get(id);
    }

    @GET
    @Path("/admin")
    @RolesAllowed(Roles.ADMIN)
    public String adminOnly() {
        return "ok";
    }

    @GET
    @Path("/me")
    @Authenticated
    public Uni<Caller> me() {
        return callers.caller();
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("a bug with a secret inside");
    }
}
