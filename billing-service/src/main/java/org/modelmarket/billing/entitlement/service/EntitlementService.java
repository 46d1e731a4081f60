package org.modelmarket.billing.entitlement.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.entitlement.Entitlement;
import org.modelmarket.billing.entitlement.EntitlementReason;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.listing.PriceType;

import io.smallrye.mutiny.Uni;

/**
 * Decides entitlements: free listings are open to every authenticated subject; paid and trial listings need an
 * active subscription. The listing and the subject's standing come from {@link SubscriptionLookup} in one read, or
 * from {@link EntitlementCache} when the same subject asked about the same listing recently.
 */
@ApplicationScoped
public class EntitlementService {

    private final SubscriptionLookup subscriptions;
    private final EntitlementCache cache;

    public EntitlementService(SubscriptionLookup subscriptions, EntitlementCache cache) {
        this.subscriptions = subscriptions;
        this.cache = cache;
    }

    /** Whether {@code subject} may use the listing at {@code namespace/name}; 404 for unknown listings. */
    public Uni<Entitlement> decide(String namespace, String name, String subject) {
        return cache.get(namespace, name, subject, () -> subscriptions.standing(namespace, name, subject))
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(namespace, name))
                .map(standing -> new Entitlement(
                        standing.listing().coordinates(),
                        subject,
                        standing.listing().priceType == PriceType.FREE
                                ? EntitlementReason.FREE_LISTING
                                : standing.activeSubscription()
                                        ? EntitlementReason.ACTIVE_SUBSCRIPTION
                                        : EntitlementReason.SUBSCRIPTION_REQUIRED));
    }
}
