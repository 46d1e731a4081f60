package org.modelmarket.search.query.rest;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.search.index.Facet;
import org.modelmarket.search.query.service.SearchParams;
import org.modelmarket.search.query.service.SearchService;

import io.smallrye.mutiny.Uni;

/** Listing search, suggestions and similar listings over HTTP; open to anonymous callers. */
@Path("/api/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Search", description = "Search over public, published listings")
@APIResponse(
        responseCode = "400",
        description = "Invalid parameters",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "401",
        description = "A bearer token was sent but is invalid",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "503",
        description = "The search index is unavailable",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SearchResource {

    private final SearchService service;

    public SearchResource(SearchService service) {
        this.service = service;
    }

    @GET
    @Operation(
            summary = "Search listings",
            description =
                    "Full text over title (boosted), name, tags, summary and model card, tolerant to typos and word "
                            + "forms; filters (values of one filter are alternatives, filters combine), facet counts, sorts, "
                            + "page paging or cursor paging (cursor=* starts a walk over a consistent point in time).")
    @APIResponse(responseCode = "200", description = "A page of hits with facet counts")
    public Uni<SearchResponse> search(
            @Parameter(description = "Free text; empty lists everything") @QueryParam("q") @Size(max = 256) String q,
            @Parameter(description = "Zero-based page (page paging)") @QueryParam("page") @DefaultValue("0") @Min(0)
                    int page,
            @Parameter(description = "Hits per page, 1..100") @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100)
                    int size,
            @Parameter(description = "relevance (default), downloads, likes, trending, newest, updated, rating")
                    @QueryParam("sort")
                    String sort,
            @Parameter(description = "* to start cursor paging, then the nextCursor of the previous page")
                    @QueryParam("cursor")
                    @Size(max = 4096)
                    String cursor,
            @Parameter(description = "image, text, video, audio, multimodal, tabular, reinforcement-learning")
                    @QueryParam("modality")
                    List<String> modality,
            @Parameter(description = "Task id, e.g. image-classification") @QueryParam("task") List<String> task,
            @Parameter(description = "Framework, e.g. pytorch") @QueryParam("framework") List<String> framework,
            @Parameter(description = "Weights format, e.g. safetensors") @QueryParam("format") List<String> format,
            @Parameter(description = "Licence id, e.g. apache-2.0") @QueryParam("license") List<String> license,
            @Parameter(description = "Language tag, e.g. en") @QueryParam("language") List<String> language,
            @Parameter(description = "Vendor namespace") @QueryParam("vendor") List<String> vendor,
            @Parameter(description = "free, paid, trial") @QueryParam("priceType") List<String> priceType,
            @Parameter(description = "true or false") @QueryParam("gated") List<String> gated,
            @Parameter(description = "Tag") @QueryParam("tags") List<String> tags,
            @Parameter(description = "Lowest average rating, 0..5") @QueryParam("minRating") String minRating,
            @Parameter(description = "false: no facet counts (cheaper, e.g. for a hit list that shows no filters)")
                    @QueryParam("facets")
                    String facets) {
        Map<Facet, List<String>> filters = new EnumMap<>(Facet.class);
        filters.put(Facet.MODALITY, modality);
        filters.put(Facet.TASK, task);
        filters.put(Facet.FRAMEWORK, framework);
        filters.put(Facet.FORMAT, format);
        filters.put(Facet.LICENSE, license);
        filters.put(Facet.LANGUAGE, language);
        filters.put(Facet.VENDOR, vendor);
        filters.put(Facet.PRICE_TYPE, priceType);
        filters.put(Facet.GATED, gated);
        filters.put(Facet.TAGS, tags);
        filters.replaceAll((facet, values) -> values == null ? List.of() : values);
        return service.search(new SearchParams(q, page, size, sort, cursor, filters, minRating, facets))
                .map(result -> SearchResponse.from(result, page));
    }

    @GET
    @Path("/suggest")
    @Operation(
            summary = "Complete a listing name or title as one types",
            description =
                    "Every word typed is the start of a word of the listing's name or title; most downloaded first.")
    @APIResponse(responseCode = "200", description = "Completions")
    public Uni<SuggestResponse> suggest(
            @Parameter(description = "What was typed so far, 1..64 characters")
                    @QueryParam("q")
                    @jakarta.validation.constraints.NotNull
                    @Size(min = 1, max = 64)
                    String q,
            @Parameter(description = "Completions, 1..20") @QueryParam("size") @DefaultValue("8") @Min(1) @Max(20)
                    int size) {
        return service.suggest(q, size).map(documents -> SuggestResponse.from(q, documents));
    }

    @GET
    @Path("/similar/{namespace}/{name}")
    @Operation(
            summary = "Listings similar to one listing",
            description =
                    "more_like_this over title, summary, model card and tags, plus the same task or a shared base "
                            + "model; the same modality ranks higher. Never the listing itself.")
    @APIResponse(responseCode = "200", description = "Similar listings, best first")
    @APIResponse(
            responseCode = "404",
            description = "No public, published listing with that id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SimilarResponse> similar(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @Parameter(description = "Listings, 1..50") @QueryParam("size") @DefaultValue("10") @Min(1) @Max(50)
                    int size) {
        return service.similar(namespace, name, size)
                .map(documents -> new SimilarResponse(
                        namespace + "/" + name,
                        documents.stream().map(d -> SearchItem.from(d, null)).toList()));
    }
}
