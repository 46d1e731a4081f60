package org.modelmarket.search.index;

import java.time.Instant;
import java.util.List;

/**
 * A listing as stored in the search index: the searchable part of the catalog's listing state (contract v2).
 *
 * @param listingId  the listing's UUID, also the document id (stable across renames)
 * @param id         the public id {@code namespace/name}
 * @param modelCard  the model card's Markdown: searched and highlighted, never returned in hit lists
 * @param baseModel  the model this one derives from ({@code ns/name} or an external id), or null
 * @param version    the catalog's aggregate version this document reflects (also the Elasticsearch external version)
 * @param releasedAt {@code publishedAt}, else {@code createdAt}: the "newest" sort key, computed here because the
 *                   index has no scripts
 * @param searchTerms the words its task, modality and languages are found by ({@link SearchTerms}, computed by the
 *                   event reader): searched, never returned in hit lists, so empty in a hit read back (not recomputed
 *                   for every hit of every search)
 */
public record ListingDocument(
        String listingId,
        String id,
        String namespace,
        String name,
        String title,
        String summary,
        String modelCard,
        String modality,
        String task,
        String license,
        String priceType,
        List<String> tags,
        List<String> languages,
        List<String> frameworks,
        List<String> formats,
        List<String> datasets,
        String baseModel,
        boolean gated,
        Vendor vendor,
        Stats stats,
        String visibility,
        String status,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant publishedAt,
        Instant releasedAt,
        List<String> searchTerms) {

    public ListingDocument {
        tags = tags == null ? List.of() : List.copyOf(tags);
        languages = languages == null ? List.of() : List.copyOf(languages);
        frameworks = frameworks == null ? List.of() : List.copyOf(frameworks);
        formats = formats == null ? List.of() : List.copyOf(formats);
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        stats = stats == null ? Stats.NONE : stats;
        vendor = vendor == null ? new Vendor(namespace, null, false) : vendor;
        if (releasedAt == null) {
            releasedAt = publishedAt != null ? publishedAt : createdAt != null ? createdAt : updatedAt;
        }
        searchTerms = searchTerms == null ? List.of() : List.copyOf(searchTerms);
    }

    /** The vendor that publishes the listing. */
    public record Vendor(String namespace, String displayName, boolean verified) {}

    /** Usage statistics, as the catalog last published them. */
    public record Stats(
            long downloads,
            long downloads30d,
            long downloads7d,
            long likes,
            double rating,
            long ratingCount,
            long subscribers) {

        public static final Stats NONE = new Stats(0, 0, 0, 0, 0.0, 0, 0);
    }
}
