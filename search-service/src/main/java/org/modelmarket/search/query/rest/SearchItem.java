package org.modelmarket.search.query.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.modelmarket.search.index.ListingDocument;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One hit of a listing search.
 *
 * @param id         the public id {@code namespace/name}
 * @param listingId  the listing's UUID
 * @param highlights snippets of the matching fields ({@code title}, {@code summary}, {@code modelCard}) with the
 *                   matched words in {@code <em>}, HTML-escaped otherwise; only with {@code q}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchItem(
        String id,
        String listingId,
        String title,
        String summary,
        String modality,
        String task,
        String license,
        String priceType,
        List<String> tags,
        List<String> languages,
        List<String> frameworks,
        List<String> formats,
        String baseModel,
        boolean gated,
        ListingDocument.Vendor vendor,
        ListingDocument.Stats stats,
        Instant publishedAt,
        Instant updatedAt,
        Map<String, List<String>> highlights) {

    static SearchItem from(ListingDocument d, Map<String, List<String>> highlights) {
        return new SearchItem(
                d.id(),
                d.listingId(),
                d.title(),
                d.summary(),
                d.modality(),
                d.task(),
                d.license(),
                d.priceType(),
                d.tags(),
                d.languages(),
                d.frameworks(),
                d.formats(),
                d.baseModel(),
                d.gated(),
                d.vendor(),
                d.stats(),
                d.publishedAt(),
                d.updatedAt(),
                highlights == null || highlights.isEmpty() ? null : highlights);
    }
}
