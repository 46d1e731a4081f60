package org.modelmarket.search.query.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.modelmarket.search.problem.Problem;
import org.modelmarket.search.query.service.SearchService;

/** Listing search over HTTP; open to anonymous callers. */
@Path("/api/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Search", description = "Full-text search over public, published listings")
public class SearchResource {

    private final SearchService service;

    public SearchResource(SearchService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Search listings",
            description = "Full-text search over title, summary and tags, tolerant to typos and word forms. "
                    + "Without q, lists every listing, most recently updated first.")
    @APIResponse(responseCode = "200", description = "A page of hits")
    @APIResponse(responseCode = "400", description = "Invalid paging or query",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "A bearer token was sent but is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The search index is unavailable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SearchResponse> search(
            @Parameter(description = "Free text; empty lists everything") @QueryParam("q") @Size(max = 256) String q,
            @Parameter(description = "Zero-based page") @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @Parameter(description = "Hits per page, 1..100") @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return service.search(q, page, size).map(result -> SearchResponse.from(result, page, size));
    }
}
