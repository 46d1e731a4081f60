package org.modelmarket.search.index;

import java.util.Optional;

/**
 * A search over listings, in index terms.
 *
 * @param text      free text; empty means "every listing"
 * @param filters   the active filters (applied as a post filter, so that facets count around them)
 * @param sort      the order; ties are always broken by listing id
 * @param from      offset of the first hit (page paging; 0 with a cursor)
 * @param size      number of hits to return
 * @param cursor    cursor paging: empty for page paging
 * @param facets    whether to compute facet counts
 */
public record ListingQuery(
        Optional<String> text,
        ListingFilters filters,
        ListingSort sort,
        int from,
        int size,
        Optional<Cursor> cursor,
        boolean facets) {

    /**
     * Where a cursor walk stands.
     *
     * @param pointInTime the point in time the walk reads (a consistent view), or null to read the live index
     * @param after       sort values of the last hit returned, or null on the first page
     */
    public record Cursor(String pointInTime, java.util.List<Object> after) {

        public static final Cursor START = new Cursor(null, null);

        public boolean isStart() {
            return after == null;
        }
    }

    /** The effective order: relevance without text means most recently updated. */
    public ListingSort effectiveSort() {
        return sort == ListingSort.RELEVANCE && text.isEmpty() ? ListingSort.UPDATED : sort;
    }
}
