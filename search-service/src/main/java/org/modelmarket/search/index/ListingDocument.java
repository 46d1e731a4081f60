package org.modelmarket.search.index;

import java.time.Instant;
import java.util.List;

/**
 * A listing as stored in the search index: the searchable part of the catalog's listing state.
 *
 * @param listingId  the listing's UUID, also the document id (stable across renames)
 * @param id         the public id {@code namespace/name}
 * @param version    the catalog's aggregate version this document reflects
 */
public record ListingDocument(
        String listingId,
        String id,
        String namespace,
        String name,
        String title,
        String summary,
        String modality,
        String task,
        String license,
        String priceType,
        List<String> tags,
        List<String> languages,
        List<String> frameworks,
        String visibility,
        String status,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public ListingDocument {
        tags = tags == null ? List.of() : List.copyOf(tags);
        languages = languages == null ? List.of() : List.copyOf(languages);
        frameworks = frameworks == null ? List.of() : List.copyOf(frameworks);
    }
}
