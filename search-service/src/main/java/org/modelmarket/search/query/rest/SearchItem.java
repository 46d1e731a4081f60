package org.modelmarket.search.query.rest;

import java.util.List;

import org.modelmarket.search.index.ListingDocument;

/**
 * One hit of a listing search.
 *
 * @param id        the public id {@code namespace/name}
 * @param listingId the listing's UUID
 */
public record SearchItem(
        String id,
        String listingId,
        String title,
        String summary,
        String modality,
        String task,
        String license,
        String priceType,
        List<String> tags) {

    static SearchItem from(ListingDocument document) {
        return new SearchItem(document.id(), document.listingId(), document.title(), document.summary(),
                document.modality(), document.task(), document.license(), document.priceType(), document.tags());
    }
}
