package org.modelmarket.search.bench;

import java.io.StringWriter;
import java.util.Optional;

import jakarta.json.stream.JsonGenerator;

import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;
import org.modelmarket.search.index.elasticsearch.ListingRequests;

import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;

/**
 * Prints what search-service sends to Elasticsearch for {@code GET /api/v1/search?q=TEXT} or
 * {@code GET /api/v1/search/suggest?q=TEXT}, built by the service's own {@link ListingRequests}, so that
 * {@code deploy/bench/read-paths.sh} can post the identical work straight to Elasticsearch: for a search, the hits
 * request and the facet request (which the service sends at the same time) as one {@code _msearch} body (NDJSON);
 * for suggest, the {@code _search} body. Usage: {@code RequestBodies search|suggest TEXT [index]}.
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
     * The service's requests for a page-paged {@code query} (hits, and facets in a request of their own, which may be
     * served from the request cache) as one {@code _msearch} body: Elasticsearch runs both, as for the service.
     */
    public static String msearch(ListingQuery query, String index) {
        return "{\"index\":\"" + index + "\"}\n" + json(ListingRequests.search(query, index, null, "1m")) + "\n"
                + "{\"index\":\"" + index + "\",\"request_cache\":true}\n" + json(ListingRequests.facets(query, index))
                + "\n";
    }

    /** The body of {@code request} as Elasticsearch receives it. */
    public static String json(SearchRequest request) {
        StringWriter out = new StringWriter();
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            request.serialize(generator, mapper);
        }
        return out.toString();
    }
}
