package org.modelmarket.catalog.listing.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.PriceType;
import org.modelmarket.catalog.listing.Visibility;

/** A listing as the REST API shows it (today the same fields as the ListingChanged event data). */
@Schema(name = "Listing")
public record ListingResponse(
        UUID listingId,
        @Schema(description = "namespace/name", examples = "acme/resnet-50") String id,
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
        @Schema(description = "Keycloak subjects who may act for the listing") List<String> owners,
        @Schema(description = "aggregate version, also the ETag") long version,
        Instant createdAt,
        Instant updatedAt) {
}
