package org.modelmarket.catalog.version.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.common.Queries;
import org.modelmarket.catalog.version.VersionView;
import org.modelmarket.catalog.version.service.VersionService;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** HTTP face of a listing's versions. */
@Path("/api/v1/listings/{namespace}/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Versions")
public class VersionResource {

    private final VersionService service;
    private final CallerContext callers;

    public VersionResource(VersionService service, CallerContext callers) {
        this.service = service;
        this.callers = callers;
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Create a draft version (members of the owning vendor)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid body")
    @APIResponse(responseCode = "403", description = "Not a member")
    @APIResponse(responseCode = "409", description = "Version exists, or listing archived")
    public Uni<RestResponse<VersionView>> create(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @Valid @NotNull VersionRequest request) {
        return callers.caller()
                .chain(caller -> service.create(
                        namespace, name, request.version(), request.releaseNotes(), request.commit(), caller))
                .map(view -> RestResponse.ResponseBuilder.<VersionView>created(
                                UriBuilder.fromPath("/api/v1/listings/{namespace}/{name}/versions/{version}")
                                        .build(namespace, name, view.version()))
                        .entity(view)
                        .build());
    }

    @GET
    @PermitAll
    @Operation(summary = "Versions, newest first (drafts for members and admins only)")
    @APIResponse(responseCode = "200", description = "One page with the total")
    public Uni<PageResult<VersionView>> list(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        Queries.page(page, size);
        return callers.caller().chain(caller -> service.list(namespace, name, page, size, caller));
    }

    @GET
    @Path("/{version}")
    @PermitAll
    @Operation(summary = "One version; \"latest\" = the newest published")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "No such version")
    public Uni<VersionView> get(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @PathParam("version") String version) {
        return callers.caller().chain(caller -> service.get(namespace, name, version, caller));
    }

    @PUT
    @Path("/{version}")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Edit a draft version's release notes and commit (published versions are immutable)")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "409", description = "Published: immutable")
    public Uni<VersionView> update(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @PathParam("version") String version,
            @Valid @NotNull VersionRequest request) {
        if (request.version() != null && !request.version().equals(version)) {
            throw ProblemException.invalid("version", "cannot be changed (must match the path)");
        }
        return callers.caller()
                .chain(caller -> service.update(namespace, name, version, request.releaseNotes(), request.commit(), caller));
    }

    @POST
    @Path("/{version}/publish")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Publish a draft version: immutable from now on; emits VersionPublished")
    @APIResponse(responseCode = "200", description = "Published")
    @APIResponse(responseCode = "409", description = "Already published, or listing archived")
    public Uni<VersionView> publish(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @PathParam("version") String version) {
        return callers.caller().chain(caller -> service.publish(namespace, name, version, caller));
    }
}
