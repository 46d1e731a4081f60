package org.modelmarket.billing.entitlement.service;

import org.modelmarket.billing.listing.Listing;

import io.smallrye.mutiny.Uni;

/**
 * The seam between entitlements and subscriptions: a listing from the projection together with whether a subject
 * currently holds an active entitlement to it (subscription, trial or pending cancellation), read in one go because
 * artifact-service and the gateway ask this on every protected download (implemented by the subscription feature's
 * {@code EntitlementLookup}).
 */
public interface SubscriptionLookup {

    /** The listing as the entitlement rules need it, and the subject's standing. */
    record Standing(Listing listing, boolean activeSubscription) {}

    /** The standing of {@code subject} on the listing at {@code namespace/name}; {@code null} for an unknown listing. */
    Uni<Standing> standing(String namespace, String name, String subject);
}
