package org.modelmarket.search.query.rest;

import java.util.List;

import org.modelmarket.search.index.ListingPage;

/**
 * A page of listing search hits.
 *
 * @param total all listings matching the query
 * @param page  the zero-based page returned
 * @param size  the requested page size
 * @param items the hits of this page, best first
 */
public record SearchResponse(long total, int page, int size, List<SearchItem> items) {

    static SearchResponse from(ListingPage result, int page, int size) {
        return new SearchResponse(result.total(), page, size, result.hits().stream().map(SearchItem::from).toList());
    }
}
