package org.modelmarket.search.index;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page of search hits.
 *
 * @param total  number of listings matching the query and filters: exact if {@code totalExact}, else a lower bound
 *               (a search without facets counts its matches only up to a cap)
 * @param hits   the hits of this page, in order
 * @param facets per facet parameter, the values and their counts under the other active filters (empty if not asked)
 * @param next   for cursor paging, where the next page starts; empty on the last page or for page paging
 * @param totalExact whether {@code total} is exact (else: at least {@code total})
 */
public record ListingPage(
        long total,
        List<ListingHit> hits,
        Map<String, List<FacetCount>> facets,
        Optional<ListingQuery.Cursor> next,
        boolean totalExact) {

    public ListingPage {
        hits = List.copyOf(hits);
        facets = Map.copyOf(facets);
    }

    /** A page whose total is exact. */
    public ListingPage(
            long total,
            List<ListingHit> hits,
            Map<String, List<FacetCount>> facets,
            Optional<ListingQuery.Cursor> next) {
        this(total, hits, facets, next, true);
    }

    /** This page with {@code facets} as its facet counts (computed by a request of their own). */
    public ListingPage withFacets(Map<String, List<FacetCount>> facets) {
        return new ListingPage(total, hits, facets, next, totalExact);
    }

    /** One hit: the document and its highlighted snippets (field name to fragments; empty without text). */
    public record ListingHit(ListingDocument document, Map<String, List<String>> highlights) {}

    /** One value of a facet and how many listings have it. */
    public record FacetCount(String value, long count) {}
}
