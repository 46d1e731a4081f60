package org.modelmarket.catalog.listing.rest;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.catalog.common.Caller;
import org.modelmarket.catalog.common.Roles;
import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.mapping.ListingMapper;
import org.modelmarket.catalog.listing.service.ListingService;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/** HTTP face of listings: translates requests to service calls and results to status codes and headers. */
@Path("/api/v1/listings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Listings")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT")
public class ListingResource {

    private final ListingService service;
    private final ListingMapper mapper;
    private final CurrentIdentityAssociation identity;

    public ListingResource(ListingService service, ListingMapper mapper, CurrentIdentityAssociation identity) {
        this.service = service;
        this.mapper = mapper;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.VENDOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "201", description = "Created; Location and ETag headers set")
    @APIResponse(responseCode = "400", description = "Invalid body (problem+json with field errors)")
    @APIResponse(responseCode = "401", description = "No or invalid bearer token")
    @APIResponse(responseCode = "403", description = "Not a vendor, or the namespace belongs to another vendor")
    @APIResponse(responseCode = "409", description = "namespace/name exists already")
    public Uni<RestResponse<ListingResponse>> create(@Valid @NotNull CreateListingRequest request) {
        return identity.getDeferredIdentity()
                .chain(current -> service.create(mapper.toDraft(request), Caller.of(current)))
                .map(listing -> RestResponse.ResponseBuilder
                        .<ListingResponse> created(location(listing))
                        .tag(etag(listing))
                        .entity(mapper.toResponse(listing))
                        .build());
    }

    @GET
    @Path("/{namespace}/{name}")
    @PermitAll
    @APIResponse(responseCode = "200", description = "The listing; ETag = its version")
    @APIResponse(responseCode = "304", description = "If-None-Match matched the current version")
    @APIResponse(responseCode = "404", description = "No such listing visible to the caller")
    public Uni<RestResponse<ListingResponse>> get(@PathParam("namespace") String namespace,
            @PathParam("name") String name, @Context Request request) {
        return identity.getDeferredIdentity()
                .chain(current -> service.get(namespace, name, Caller.of(current)))
                .map(listing -> {
                    EntityTag etag = etag(listing);
                    Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
                    if (notModified != null) {
                        return RestResponse.ResponseBuilder.<ListingResponse> notModified(etag).build();
                    }
                    return RestResponse.ResponseBuilder.ok(mapper.toResponse(listing)).tag(etag).build();
                });
    }

    private static URI location(Listing listing) {
        return UriBuilder.fromPath("/api/v1/listings/{namespace}/{name}").build(listing.namespace, listing.name);
    }

    /** Strong ETag from the aggregate version: what If-Match will be checked against on edits. */
    private static EntityTag etag(Listing listing) {
        return new EntityTag(Long.toString(listing.version));
    }
}
