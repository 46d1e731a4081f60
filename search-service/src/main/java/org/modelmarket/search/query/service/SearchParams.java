package org.modelmarket.search.query.service;

import java.util.List;
import java.util.Map;

import org.modelmarket.search.index.Facet;

/**
 * A search request as the caller sent it, before validation.
 *
 * @param filters raw values per facet parameter (repeated and/or comma-separated)
 * @param facets  {@code true} (also when absent) or {@code false}: whether to count facets
 */
public record SearchParams(
        String q,
        int page,
        int size,
        String sort,
        String cursor,
        Map<Facet, List<String>> filters,
        String minRating,
        String facets) {}
