package org.modelmarket.search.index;

import java.util.List;

/**
 * One page of search hits.
 *
 * @param total number of listings matching the query (exact)
 * @param hits  the documents of this page, best first
 */
public record ListingPage(long total, List<ListingDocument> hits) {

    public ListingPage {
        hits = List.copyOf(hits);
    }
}
