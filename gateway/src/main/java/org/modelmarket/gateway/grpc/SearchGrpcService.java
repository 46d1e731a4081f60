package org.modelmarket.gateway.grpc;

import jakarta.annotation.security.PermitAll;

import org.modelmarket.gateway.grpc.client.JsonCalls;
import org.modelmarket.gateway.grpc.v1.FacetedSearchRequest;
import org.modelmarket.gateway.grpc.v1.FacetedSearchResponse;
import org.modelmarket.gateway.grpc.v1.Search;
import org.modelmarket.gateway.grpc.v1.SuggestRequest;
import org.modelmarket.gateway.grpc.v1.SuggestResponse;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.auth.GrpcScopes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * {@code marketplace.v1.Search} over search-service: the same parameters as {@code GET /api/v1/search}, facets and
 * highlights included, and suggestions. search-service validates the values (a bad one is INVALID_ARGUMENT with its
 * words).
 */
@GrpcService
public class SearchGrpcService implements Search {

    private final JsonCalls calls;
    private final ObjectMapper json;
    private final GrpcScopes scopes;

    SearchGrpcService(JsonCalls calls, ObjectMapper json, GrpcScopes scopes) {
        this.calls = calls;
        this.json = json;
        this.scopes = scopes;
    }

    @Override
    @PermitAll
    public Uni<FacetedSearchResponse> search(FacetedSearchRequest request) {
        return CatalogGrpcService.guarded(() -> {
            GrpcRequests.paging(request.getPage(), request.getSize());
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
                    .flatMap(allowed -> calls.get("search", "/api/v1/search" + query))
                    .map(answer -> JsonCalls.parse(protoShaped(answer.body()), FacetedSearchResponse.newBuilder())
                            .build());
        });
    }

    @Override
    @PermitAll
    public Uni<SuggestResponse> suggest(SuggestRequest request) {
        return CatalogGrpcService.guarded(() -> {
            GrpcRequests.require(!request.getQuery().isBlank(), "query is required");
            GrpcRequests.require(request.getSize() >= 0 && request.getSize() <= 20, "size: must be between 1 and 20");
            String query = new GrpcRequests.Query()
                    .add("q", request.getQuery())
                    .add("size", request.getSize(), true)
                    .toString();
            return scopes.require(Scope.READ, "reads", null, null)
                    .flatMap(allowed -> calls.get("search", "/api/v1/search/suggest" + query))
                    .map(answer -> JsonCalls.parse(answer.body(), SuggestResponse.newBuilder())
                            .build());
        });
    }

    /**
     * Protobuf maps cannot hold lists: each facet's and highlight's list is wrapped in {@code {"values": [...]}} (the
     * {@code FacetValues} and {@code Fragments} messages); everything else is search-service's JSON as is.
     */
    private String protoShaped(String body) {
        try {
            JsonNode root = json.readTree(body);
            wrapLists(root.path("facets"));
            for (JsonNode item : root.path("items")) {
                wrapLists(item.path("highlights"));
            }
            return json.writeValueAsString(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("search-service answered JSON the gateway cannot read", e);
        }
    }

    private void wrapLists(JsonNode map) {
        if (map instanceof ObjectNode object) {
            object.properties().forEach(entry -> {
                if (entry.getValue().isArray()) {
                    entry.setValue(json.createObjectNode().set("values", entry.getValue()));
                }
            });
        }
    }
}
