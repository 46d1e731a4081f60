package org.modelmarket.search.query.service;

import java.util.List;
import java.util.Map;

import org.modelmarket.search.index.Facet;

/**
 * A search request as the caller sent it, before validation.
 *
 * @param filters raw values per facet parameter (repeated and/or comma-separated)
 */
public record SearchParams(
        String q, int page, int size, String sort, String cursor, Map<Facet, List<String>> filters, String minRating) {}
