package org.modelmarket.catalog.listing.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.PriceType;
import org.modelmarket.catalog.listing.Visibility;

/**
 * Data of the {@code org.modelmarket.catalog.ListingChanged} event: the full state of a listing after a change,
 * published on the compacted topic {@code catalog.listings} keyed by {@code listingId}. Part of the catalog's
 * public contract (example in src/test/resources/events/listing-changed.json): add fields, never rename or
 * remove them.
 */
public record ListingChanged(
        UUID listingId,
        String id,
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
        Visibility visibility,
        ListingStatus status,
        List<String> owners,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** CloudEvents {@code type}. */
    public static final String TYPE = "org.modelmarket.catalog.ListingChanged";

    /** Topic holding the latest state of every listing (compacted). */
    public static final String TOPIC = "catalog.listings";

    /** Outbox {@code aggregatetype}. */
    public static final String AGGREGATE_TYPE = "listing";
}
