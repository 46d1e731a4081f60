package org.modelmarket.search.bench;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;
import org.modelmarket.search.index.elasticsearch.ListingRequests;

import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;

/**
 * Prints what search-service sends to Elasticsearch for {@code GET /api/v1/search?q=TEXT} or
 * {@code GET /api/v1/search/suggest?q=TEXT}, built by the service's own {@link ListingRequests}, so that
 * {@code deploy/bench/read-paths.sh} can post the identical work straight to Elasticsearch: for a search, the
 * {@code _msearch} body (NDJSON: the hits request, then the facet request) the service sends; for suggest, the
 * {@code _search} body. Usage: {@code RequestBodies search|suggest TEXT [index]}.
 */
public final class RequestBodies {

    private RequestBodies() {}

    public static void main(String[] args) {
        String index = args.length > 2 ? args[2] : "listings-read";
        String body = switch (args[0]) {
            case "search" ->
                msearch(
                        new ListingQuery(
                                Optional.of(args[1]),
                                ListingFilters.NONE,
                                ListingSort.RELEVANCE,
                                0,
                                20,
                                Optional.empty(),
                                true),
                        index);
            case "suggest" -> json(ListingRequests.suggest(index, args[1], 8));
            default -> throw new IllegalArgumentException("search or suggest, not " + args[0]);
        };
        System.out.print(body);
    }

    /**
     * The service's request for a page-paged {@code query}: the one {@code _msearch} body (hits, and facets with the
     * request cache) that {@link ListingRequests#msearch} builds for the service itself.
     */
    public static String msearch(ListingQuery query, String index) {
        return ListingRequests.msearchText(query, index, new JacksonJsonpMapper());
    }

    /** The body of {@code request} as the service sends it. */
    public static String json(SearchRequest request) {
        return new String(ListingRequests.json(request, new JacksonJsonpMapper()), StandardCharsets.UTF_8);
    }
}
