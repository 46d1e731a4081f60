package org.modelmarket.gateway.search.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.gateway.search.SearchPage;
import org.modelmarket.gateway.search.client.SearchClient;

import io.smallrye.mutiny.Uni;

/** Public search endpoint, forwarded to search-service. */
@Path("/api/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "search", description = "Full-text search over public listings (search-service)")
public class SearchResource {

    private final SearchClient search;

    SearchResource(SearchClient search) {
        this.search = search;
    }

    /**
     * The page bounds are part of the public contract, so the gateway rejects bad ones itself rather than spend a
     * downstream call on them.
     */
    @GET
    @PermitAll
    @Operation(summary = "Search listings", description = "Anonymous callers allowed.")
    public Uni<SearchPage> search(@RestQuery String q,
            @RestQuery @Min(0) Integer page,
            @RestQuery @Min(1) @Max(100) Integer size) {
        return search.search(q, page, size);
    }
}
