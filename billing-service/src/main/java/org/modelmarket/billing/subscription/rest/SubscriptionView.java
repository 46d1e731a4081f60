package org.modelmarket.billing.subscription.rest;

import java.time.Instant;
import java.util.UUID;

import org.modelmarket.billing.subscription.SubscriptionStatus;
import org.modelmarket.billing.subscription.service.SubscriptionService.Subscribed;

/** A subscription as the API shows it. */
public record SubscriptionView(
        UUID subscriptionId,
        String listing,
        UUID listingId,
        String buyer,
        SubscriptionStatus status,
        String source,
        String plan,
        UUID pricingId,
        int pricingVersion,
        String currency,
        String termsVersion,
        Instant termsAcceptedAt,
        Instant createdAt,
        Instant trialEndsAt,
        Instant periodStart,
        Instant periodEnd,
        boolean cancelAtPeriodEnd,
        Instant endedAt,
        long version) {

    static SubscriptionView of(Subscribed subscribed) {
        var s = subscribed.subscription();
        return new SubscriptionView(
                s.id,
                subscribed.listing() == null ? null : subscribed.listing().coordinates(),
                s.listingId,
                s.buyer,
                s.status,
                s.source,
                s.planCode,
                s.pricingId,
                subscribed.pricing().version,
                subscribed.terms().currency(),
                s.termsVersion,
                s.termsAcceptedAt,
                s.createdAt,
                s.trialEndsAt,
                s.periodStart,
                s.periodEnd,
                s.cancelAtPeriodEnd,
                s.endedAt,
                s.version);
    }
}
