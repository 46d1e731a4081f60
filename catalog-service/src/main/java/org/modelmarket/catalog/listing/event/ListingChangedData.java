package org.modelmarket.catalog.listing.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.modelmarket.catalog.listing.ListingSpec;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.PriceType;
import org.modelmarket.catalog.listing.Visibility;

/**
 * The data of {@link ListingChanged}: a listing's full state as the event contract fixes it (v2, a superset of v1;
 * example in src/test/resources/events/listing-changed.json). Its own record, not the REST view: a change to the API's
 * representation is not silently a change of the event contract. Today both carry the same fields, in the same order,
 * so the JSON is identical (the contract tests check both). Add fields, never rename or remove them.
 */
public record ListingChangedData(
        UUID listingId,
        String id,
        String namespace,
        String name,
        String title,
        String summary,
        String modelCard,
        String modality,
        String task,
        String license,
        String eula,
        List<String> tags,
        List<String> languages,
        List<String> frameworks,
        List<String> formats,
        List<String> datasets,
        String baseModel,
        List<ListingSpec.EvaluationResult> evaluationResults,
        ListingSpec.Signature signature,
        ListingSpec.Hardware hardware,
        String exampleUsage,
        PriceType priceType,
        Visibility visibility,
        boolean gated,
        String gateTerms,
        ListingStatus status,
        String rejectionReason,
        String successor,
        List<String> owners,
        Vendor vendor,
        Stats stats,
        long version,
        Instant publishedAt,
        Instant createdAt,
        Instant updatedAt) {

    /** The owning vendor. */
    public record Vendor(String namespace, String displayName, boolean verified) {}

    /** The stats projection; {@code aggregateversion} changes with them too. */
    public record Stats(
            long downloads,
            long downloads30d,
            long downloads7d,
            long likes,
            double rating,
            long ratingCount,
            long subscribers) {}
}
