package org.modelmarket.catalog.community.rest;

import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.catalog.common.Queries;
import org.modelmarket.catalog.community.ReviewView;
import org.modelmarket.catalog.community.service.CommunityService;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** HTTP face of reviews and vendor replies. */
@Path("/api/v1/listings/{namespace}/{name}/reviews")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Community")
public class ReviewResource {

    private final CommunityService service;
    private final CallerContext callers;

    public ReviewResource(CommunityService service, CallerContext callers) {
        this.service = service;
        this.callers = callers;
    }

    @GET
    @PermitAll
    @Operation(summary = "Reviews, newest first, with the aggregated rating and totals")
    @APIResponse(responseCode = "200", description = "One page")
    @APIResponse(responseCode = "400", description = "Bad paging parameter")
    public Uni<ReviewView.Page> reviews(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        Queries.page(page, size);
        return callers.caller().chain(caller -> service.reviews(namespace, name, page, size, caller));
    }

    @PUT
    @Path("/me")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Post or edit the caller's review (needs a download or an active entitlement)")
    @APIResponse(responseCode = "201", description = "Posted")
    @APIResponse(responseCode = "200", description = "Edited")
    @APIResponse(responseCode = "400", description = "Invalid body")
    @APIResponse(responseCode = "403", description = "No download nor entitlement, or the vendor's own listing")
    public Uni<RestResponse<ReviewView>> review(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @Valid @NotNull ReviewRequest request) {
        return callers.caller()
                .chain(caller ->
                        service.review(namespace, name, request.rating(), request.title(), request.body(), caller))
                .map(posted -> posted.created()
                        ? RestResponse.ResponseBuilder.<ReviewView>create(RestResponse.Status.CREATED)
                                .entity(posted.review())
                                .build()
                        : RestResponse.ok(posted.review()));
    }

    @PUT
    @Path("/{reviewId}/reply")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Reply to a review (members of the owning vendor)")
    @APIResponse(responseCode = "200", description = "Replied")
    @APIResponse(responseCode = "403", description = "Not a member")
    @APIResponse(responseCode = "404", description = "No such review")
    public Uni<ReviewView> reply(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @PathParam("reviewId") UUID reviewId,
            @Valid @NotNull ReplyRequest request) {
        return callers.caller().chain(caller -> service.reply(namespace, name, reviewId, request.body(), caller));
    }
}
