package org.modelmarket.catalog.listing.service;

import java.util.List;

import org.modelmarket.catalog.listing.PriceType;
import org.modelmarket.catalog.listing.Visibility;

/** What a vendor supplies to create a listing, already validated at the edge. */
public record ListingDraft(
        String namespace,
        String name,
        String title,
        String summary,
        String modality,
        String task,
        String license,
        List<String> tags,
        List<String> languages,
        List<String> frameworks,
        PriceType priceType,
        Visibility visibility) {

    public ListingDraft {
        tags = tags == null ? List.of() : List.copyOf(tags);
        languages = languages == null ? List.of() : List.copyOf(languages);
        frameworks = frameworks == null ? List.of() : List.copyOf(frameworks);
        visibility = visibility == null ? Visibility.PUBLIC : visibility;
    }
}
