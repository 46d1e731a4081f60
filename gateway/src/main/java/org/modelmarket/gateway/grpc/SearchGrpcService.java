package org.modelmarket.gateway.grpc;

import jakarta.annotation.security.PermitAll;

import org.modelmarket.gateway.grpc.client.JsonCalls;
import org.modelmarket.gateway.grpc.client.JsonMessages;
import org.modelmarket.gateway.grpc.v1.FacetedSearchRequest;
import org.modelmarket.gateway.grpc.v1.FacetedSearchResponse;
import org.modelmarket.gateway.grpc.v1.Search;
import org.modelmarket.gateway.grpc.v1.SuggestRequest;
import org.modelmarket.gateway.grpc.v1.SuggestResponse;
import org.modelmarket.gateway.search.SearchLimits;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.auth.GrpcScopes;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * {@code marketplace.v1.Search} over search-service: the same parameters as {@code GET /api/v1/search}, facets and
 * highlights included, and suggestions. search-service validates the values (a bad one is INVALID_ARGUMENT with its
 * words).
 */
@GrpcService
public class SearchGrpcService implements Search {

    private final JsonCalls calls;
    private final GrpcScopes scopes;

    SearchGrpcService(JsonCalls calls, GrpcScopes scopes) {
        this.calls = calls;
        this.scopes = scopes;
    }

    @Override
    @PermitAll
    public Uni<FacetedSearchResponse> search(FacetedSearchRequest request) {
        return CatalogGrpcService.guarded(() -> {
            GrpcRequests.paging(request.getPage(), request.getSize());
            // Before the URL is built: a query search-service refuses anyway could be too long for its request line.
            GrpcRequests.require(
                    request.getQuery().length() <= SearchLimits.MAX_QUERY_LENGTH,
                    "query: " + SearchLimits.tooLong(SearchLimits.MAX_QUERY_LENGTH));
            GrpcRequests.require(
                    request.getCursor().isEmpty() || request.getPage() == 0, "cursor cannot be combined with page");
            GrpcRequests.require(
                    request.getMinRating() >= 0 && request.getMinRating() <= 5, "min_rating: must be between 0 and 5");
            GrpcRequests.Query query = new GrpcRequests.Query()
                    .add("q", request.getQuery())
                    .addAll("modality", request.getModalityList())
                    .addAll("task", request.getTaskList())
                    .addAll("framework", request.getFrameworkList())
                    .addAll("format", request.getFormatList())
                    .addAll("license", request.getLicenseList())
                    .addAll("language", request.getLanguageList())
                    .addAll("vendor", request.getVendorList())
                    .addAll("tags", request.getTagsList())
                    .addAll("priceType", request.getPriceTypeList())
                    .add("gated", request.getGated())
                    .add("minRating", request.getMinRating() > 0 ? Double.toString(request.getMinRating()) : null)
                    .add("sort", request.getSort())
                    .add("size", request.getSize(), true)
                    .add("cursor", request.getCursor());
            if (request.getCursor().isEmpty()) {
                query.add("page", Integer.toString(request.getPage()));
            }
            return scopes.require(Scope.READ, "reads", null, null)
                    .flatMap(allowed -> calls.read(
                            "search",
                            "/api/v1/search" + query,
                            FacetedSearchResponse.class,
                            answer -> response(answer.body())));
        });
    }

    @Override
    @PermitAll
    public Uni<SuggestResponse> suggest(SuggestRequest request) {
        return CatalogGrpcService.guarded(() -> {
            GrpcRequests.require(!request.getQuery().isBlank(), "query is required");
            GrpcRequests.require(
                    request.getQuery().length() <= SearchLimits.MAX_SUGGEST_LENGTH,
                    "query: " + SearchLimits.tooLong(SearchLimits.MAX_SUGGEST_LENGTH));
            GrpcRequests.require(request.getSize() >= 0 && request.getSize() <= 20, "size: must be between 1 and 20");
            String query = new GrpcRequests.Query()
                    .add("q", request.getQuery())
                    .add("size", request.getSize(), true)
                    .toString();
            return scopes.require(Scope.READ, "reads", null, null)
                    .flatMap(allowed -> calls.read(
                            "search", "/api/v1/search/suggest" + query, SuggestResponse.getDefaultInstance()));
        });
    }

    /**
     * Reads search-service's answer in one streaming pass into the message: its facet and highlight lists become the
     * {@code FacetValues} and {@code Fragments} messages ({@link JsonMessages}), everything else maps by name.
     */
    private static FacetedSearchResponse response(Buffer body) {
        return JsonCalls.parse(body, FacetedSearchResponse.newBuilder()).build();
    }
}
