package org.modelmarket.gateway.listing;

import java.time.Instant;
import java.util.List;

/**
 * A listing as catalog-service returns it: a model repository {@code namespace/name} owned by a vendor.
 *
 * @param id        the Hub-style id, {@code namespace/name}
 * @param listingId the listing's UUID
 * @param owners    subjects who may act for the listing
 * @param version   the aggregate version, growing with each change
 */
public record Listing(
        String id,
        String listingId,
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
        String priceType,
        String visibility,
        String status,
        List<String> owners,
        long version,
        Instant createdAt,
        Instant updatedAt) {}
