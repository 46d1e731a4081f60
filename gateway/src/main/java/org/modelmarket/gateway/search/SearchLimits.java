package org.modelmarket.gateway.search;

import java.util.List;
import java.util.function.Supplier;

/**
 * The longest search query and suggestion prefix search-service takes: its {@code SearchResource} bounds {@code q} of
 * {@code GET /api/v1/search} with {@code @Size(max = 256)} and of {@code /api/v1/search/suggest} with {@code @Size(max
 * = 64)}. The gateway checks them on both of its paths to search, the REST routes ({@code ProxyRoutes}) and gRPC
 * ({@code Search/Search}, {@code Search/Suggest}, {@code Marketplace/Search}), so that a query too long for a URL is
 * refused with the limit in words instead of an HTTP server's bare {@code 414} for its request line.
 */
public final class SearchLimits {

    /** The longest {@code q} of a search, in characters. */
    public static final int MAX_QUERY_LENGTH = 256;

    /** The longest {@code q} of a suggestion, in characters. */
    public static final int MAX_SUGGEST_LENGTH = 64;

    private static final String SEARCH = "/api/v1/search";
    private static final String SUGGEST = "/api/v1/search/suggest";

    private SearchLimits() {}

    /** What a query longer than {@code limit} is told, after the field's name. */
    public static String tooLong(int limit) {
        return "may be at most " + limit + " characters";
    }

    /**
     * For the pass-through route {@code template}: the problem detail when one of the request's {@code q} values is
     * longer than search-service takes, else null; {@code queries} is asked only on search's two routes.
     */
    public static String refusal(String template, Supplier<List<String>> queries) {
        int limit = switch (template) {
            case SEARCH -> MAX_QUERY_LENGTH;
            case SUGGEST -> MAX_SUGGEST_LENGTH;
            default -> -1;
        };
        if (limit < 0) {
            return null;
        }
        for (String query : queries.get()) {
            if (query.length() > limit) {
                return "q: " + tooLong(limit);
            }
        }
        return null;
    }
}
