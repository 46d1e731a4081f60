package org.modelmarket.gateway.search.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
     * downstream call on them. They are read as text and checked by pattern: JAX-RS would answer 404, not 400, to a
     * query parameter that does not convert to a number.
     */
    @GET
    @PermitAll
    @Operation(summary = "Search listings", description = "Anonymous callers allowed.")
    public Uni<SearchPage> search(
            @RestQuery @Parameter(description = "Full-text query; all listings when absent") String q,
            @RestQuery @Pattern(regexp = "[0-9]{1,9}", message = "must be a whole number, 0 or more")
            @Parameter(description = "Zero-based page, default 0", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "0")) String page,
            @RestQuery @Pattern(regexp = "100|[1-9][0-9]?", message = "must be a whole number from 1 to 100")
            @Parameter(description = "Page size, default 20", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "100")) String size) {
        return search.search(q, number(page), number(size));
    }

    private static Integer number(String value) {
        return value == null ? null : Integer.valueOf(value);
    }
}
