package org.modelmarket.platform.testapp;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;
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

    /** Query parameters of several types, to check how a value that does not convert is answered. */
    @GET
    public List<String> search(
            @QueryParam("page") @DefaultValue("0") int page,
            @RestQuery Size size,
            @RestQuery UUID owner,
            @RestQuery LocalDate madeOn) {
        return List.of(String.valueOf(page), String.valueOf(size), String.valueOf(owner), String.valueOf(madeOn));
    }

    /** A widget size (a query parameter's enum). */
    public enum Size {
        SMALL,
        LARGE
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
