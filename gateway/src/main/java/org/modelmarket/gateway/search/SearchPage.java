package org.modelmarket.gateway.search;

import java.util.List;

/**
 * One page of search results as search-service returns it.
 *
 * @param total all matches, across pages
 * @param page  the zero-based page number
 * @param size  the page size asked for
 */
public record SearchPage(long total, int page, int size, List<SearchHit> items) {

    /** One matching listing, in the index's reduced form. */
    public record SearchHit(
            String id,
            String listingId,
            String title,
            String summary,
            String modality,
            String task,
            String license,
            String priceType,
            List<String> tags) {}
}
