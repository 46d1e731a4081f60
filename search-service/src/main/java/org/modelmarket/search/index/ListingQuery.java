package org.modelmarket.search.index;

import java.util.Optional;

/**
 * A search over listings, in index terms. Filters, facets and sorts join here as the search grows.
 *
 * @param text free text; empty means "everything, newest first"
 * @param from offset of the first hit
 * @param size number of hits to return
 */
public record ListingQuery(Optional<String> text, int from, int size) {
}
