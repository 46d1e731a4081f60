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
 * Prints the request body search-service sends to Elasticsearch for {@code GET /api/v1/search?q=TEXT} or
 * {@code GET /api/v1/search/suggest?q=TEXT}, built by the service's own {@link ListingRequests}, so that
 * {@code deploy/bench/read-paths.sh} can post the identical body straight to Elasticsearch.
 * Usage: {@code RequestBodies search|suggest TEXT [index]}.
 */
public final class RequestBodies {

    private RequestBodies() {}

    public static void main(String[] args) {
        String index = args.length > 2 ? args[2] : "listings-read";
        SearchRequest request = switch (args[0]) {
            case "search" ->
                ListingRequests.search(
                        new ListingQuery(
                                Optional.of(args[1]),
                                ListingFilters.NONE,
                                ListingSort.RELEVANCE,
                                0,
                                20,
                                Optional.empty(),
                                true),
                        index,
                        null,
                        "1m");
            case "suggest" -> ListingRequests.suggest(index, args[1], 8);
            default -> throw new IllegalArgumentException("search or suggest, not " + args[0]);
        };
        StringWriter out = new StringWriter();
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            request.serialize(generator, mapper);
        }
        System.out.println(out);
    }
}
