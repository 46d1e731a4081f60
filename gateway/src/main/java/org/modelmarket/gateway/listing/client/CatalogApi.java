package org.modelmarket.gateway.listing.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.gateway.client.AccessTokenPropagation;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.listing.Listing;
import org.modelmarket.gateway.listing.NewListing;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/** catalog-service's listing API, as the gateway calls it. */
@RegisterRestClient(configKey = CatalogApi.SERVICE)
@RegisterClientHeaders(AccessTokenPropagation.class)
@Path("/api/v1/listings")
interface CatalogApi {

    String SERVICE = "catalog";

    @POST
    Uni<RestResponse<Listing>> create(NewListing listing);

    @GET
    @Path("/{namespace}/{name}")
    Uni<RestResponse<Listing>> get(@RestPath String namespace, @RestPath String name);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Downstream.fromResponse(SERVICE, response);
    }
}
