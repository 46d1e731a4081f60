package org.modelmarket.search.query.rest;

import java.util.List;
import java.util.Map;

import org.modelmarket.search.index.ListingPage;
import org.modelmarket.search.query.service.SearchService;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A page of listing search hits.
 *
 * @param total      all listings matching the query and filters; with {@code totalRelation} {@code gte}, a lower
 *                   bound
 * @param totalRelation {@code eq}: {@code total} is exact; {@code gte}: at least {@code total} listings match (only
 *                   a search with {@code facets=false} that matches more than 10,000 listings counts up to there)
 * @param page       the zero-based page returned (page paging only)
 * @param size       the requested page size
 * @param sort       the order applied
 * @param items      the hits of this page
 * @param facets     per filter parameter, its values and counts under the other active filters (absent on later
 *                   pages of a cursor walk)
 * @param nextCursor cursor paging: pass it as {@code cursor} with the same q, filters and sort for the next page;
 *                   absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResponse(
        long total,
        String totalRelation,
        Integer page,
        int size,
        String sort,
        List<SearchItem> items,
        Map<String, List<ListingPage.FacetCount>> facets,
        String nextCursor) {

    /** {@code totalRelation} of an exact total. */
    public static final String EXACT = "eq";
    /** {@code totalRelation} of a lower bound. */
    public static final String AT_LEAST = "gte";

    static SearchResponse from(SearchService.Result result, int page) {
        ListingPage found = result.page();
        boolean cursor = result.query().cursor().isPresent();
        return new SearchResponse(
                found.total(),
                found.totalExact() ? EXACT : AT_LEAST,
                cursor ? null : page,
                result.query().size(),
                result.query().effectiveSort().param(),
                found.hits().stream()
                        .map(hit -> SearchItem.from(hit.document(), hit.highlights()))
                        .toList(),
                result.query().facets() ? found.facets() : null,
                result.nextCursor().orElse(null));
    }
}
