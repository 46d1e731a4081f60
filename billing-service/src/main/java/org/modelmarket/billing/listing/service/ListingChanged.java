package org.modelmarket.billing.listing.service;

import java.util.List;
import java.util.UUID;

/**
 * The part of catalog's {@code org.modelmarket.catalog.ListingChanged} event this service reads.
 *
 * @param eventId the CloudEvents id
 * @param aggregateVersion the listing's version after the change
 * @param priceType lower-case as in the event: free, paid or trial
 * @param owners subjects of the vendor accounts owning the listing
 */
public record ListingChanged(
        String eventId,
        UUID listingId,
        long aggregateVersion,
        String namespace,
        String name,
        String priceType,
        List<String> owners) {}
