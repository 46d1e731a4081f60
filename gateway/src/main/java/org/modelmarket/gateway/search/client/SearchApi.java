package org.modelmarket.gateway.search.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.gateway.client.AccessTokenPropagation;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.search.SearchPage;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/** search-service's query API, as the gateway calls it. */
@RegisterRestClient(configKey = SearchApi.SERVICE)
@RegisterClientHeaders(AccessTokenPropagation.class)
@Path("/api/v1/search")
interface SearchApi {

    String SERVICE = "search";

    /** Null parameters are left out, so search-service applies its own defaults. */
    @GET
    Uni<SearchPage> search(@RestQuery String q, @RestQuery Integer page, @RestQuery Integer size);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Downstream.fromResponse(SERVICE, response);
    }
}
