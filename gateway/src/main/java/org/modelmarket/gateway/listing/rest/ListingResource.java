package org.modelmarket.gateway.listing.rest;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.gateway.client.Versioned;
import org.modelmarket.gateway.listing.Listing;
import org.modelmarket.gateway.listing.NewListing;
import org.modelmarket.gateway.listing.client.ListingClient;

import io.smallrye.mutiny.Uni;

/** Public listing endpoints, forwarded to catalog-service with the caller's token. */
@Path("/api/v1/listings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "listings", description = "Model listings (catalog-service)")
public class ListingResource {

    private final ListingClient listings;

    ListingResource(ListingClient listings) {
        this.listings = listings;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("vendor")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Create a listing", description = "Vendors only; the first creator of a namespace owns it.")
    public Uni<RestResponse<Listing>> create(@NotNull NewListing listing) {
        return listings.create(listing).map(created -> {
            URI location = UriBuilder.fromResource(ListingResource.class).path("{namespace}/{name}")
                    .build(created.value().namespace(), created.value().name());
            return withEtag(RestResponse.ResponseBuilder.created(location), created);
        });
    }

    @GET
    @Path("/{namespace}/{name}")
    @PermitAll
    @Operation(summary = "Get a listing by its namespace/name id")
    public Uni<RestResponse<Listing>> get(@RestPath String namespace, @RestPath String name) {
        return listings.get(namespace, name)
                .map(found -> withEtag(RestResponse.ResponseBuilder.ok(), found));
    }

    private static RestResponse<Listing> withEtag(RestResponse.ResponseBuilder<Listing> response,
            Versioned<Listing> listing) {
        if (listing.etag() != null) {
            response.header(HttpHeaders.ETAG, listing.etag());
        }
        return response.entity(listing.value()).build();
    }
}
