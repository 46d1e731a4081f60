package org.modelmarket.catalog.community.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.modelmarket.catalog.community.service.CommunityService;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** HTTP face of likes (one per user, idempotent). */
@Path("/api/v1/listings/{namespace}/{name}/likes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Community")
public class LikeResource {

    private final CommunityService service;
    private final CallerContext callers;

    public LikeResource(CommunityService service, CallerContext callers) {
        this.service = service;
        this.callers = callers;
    }

    @GET
    @PermitAll
    @Operation(summary = "Like count, and whether the caller likes it")
    @APIResponse(responseCode = "200", description = "Likes")
    public Uni<CommunityService.Likes> likes(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return callers.caller().chain(caller -> service.likes(namespace, name, caller));
    }

    @PUT
    @Path("/me")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Like (idempotent: one like per user)")
    @APIResponse(responseCode = "200", description = "Liked")
    @APIResponse(responseCode = "409", description = "Listing not published")
    public Uni<CommunityService.Likes> like(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return callers.caller().chain(caller -> service.like(namespace, name, caller));
    }

    @DELETE
    @Path("/me")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Unlike (idempotent)")
    @APIResponse(responseCode = "200", description = "Not liked")
    public Uni<CommunityService.Likes> unlike(
            @PathParam("namespace") String namespace, @PathParam("name") String name) {
        return callers.caller().chain(caller -> service.unlike(namespace, name, caller));
    }
}
