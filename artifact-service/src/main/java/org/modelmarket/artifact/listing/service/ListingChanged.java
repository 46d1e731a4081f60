package org.modelmarket.artifact.listing.service;

import java.util.List;
import java.util.UUID;

/**
 * The part of catalog's {@code org.modelmarket.catalog.ListingChanged} event this service reads.
 *
 * @param eventId the CloudEvents id
 * @param aggregateVersion the listing's version after the change
 * @param visibility lower-case as in the event: public, unlisted or private
 * @param priceType lower-case as in the event: free, paid or trial
 * @param termsVersion sha256 of the gate terms, {@code null} when not gated
 */
public record ListingChanged(
        String eventId,
        UUID listingId,
        long aggregateVersion,
        String namespace,
        String name,
        List<String> owners,
        String visibility,
        String priceType,
        boolean gated,
        String termsVersion) {

    public ListingChanged {
        owners = List.copyOf(owners);
    }
}
