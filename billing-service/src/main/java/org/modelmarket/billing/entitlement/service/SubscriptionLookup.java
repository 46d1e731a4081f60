package org.modelmarket.billing.entitlement.service;

import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * The seam between entitlements and subscriptions: whether a subject currently holds an active subscription or
 * trial to a listing (implemented by the subscription feature's {@code EntitlementLookup}).
 */
public interface SubscriptionLookup {

    /** True when {@code subject} has an active subscription or an unexpired trial for the listing. */
    Uni<Boolean> hasActiveSubscription(UUID listingId, String subject);
}
