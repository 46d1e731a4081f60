package org.modelmarket.billing.entitlement.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.entitlement.Entitlement;
import org.modelmarket.billing.entitlement.EntitlementReason;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingAccess;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.listing.PriceType;
import org.modelmarket.platform.security.Caller;

import io.smallrye.mutiny.Uni;

/**
 * Decides entitlements: admins and the listing's owners may always use it; free listings are open to every
 * authenticated subject; paid and trial listings need an active subscription. The listing and the subject's standing
 * come from {@link SubscriptionLookup} in one read, or from {@link EntitlementCache} when the same subject asked about
 * the same listing recently.
 */
@ApplicationScoped
public class EntitlementService {

    private final SubscriptionLookup subscriptions;
    private final EntitlementCache cache;

    public EntitlementService(SubscriptionLookup subscriptions, EntitlementCache cache) {
        this.subscriptions = subscriptions;
        this.cache = cache;
    }

    /** Whether {@code caller} may use the listing at {@code namespace/name}; 404 for unknown listings. */
    public Uni<Entitlement> decide(String namespace, String name, Caller caller) {
        String subject = caller.subject();
        return cache.get(namespace, name, subject, () -> subscriptions.standing(namespace, name, subject))
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(namespace, name))
                .map(standing -> new Entitlement(standing.listing().coordinates(), subject, reason(standing, caller)));
    }

    /**
     * The same order as artifact-service's download check: admins and the listing's owners use it whatever it costs
     * (they are not its customers), then free listings, then a subscription.
     */
    private static EntitlementReason reason(SubscriptionLookup.Standing standing, Caller caller) {
        Listing listing = standing.listing();
        if (caller.isAdmin()) {
            return EntitlementReason.ADMIN;
        }
        if (ListingAccess.manages(caller, listing) || listing.ownedBy(caller.subject())) {
            return EntitlementReason.LISTING_OWNER;
        }
        if (listing.priceType == PriceType.FREE) {
            return EntitlementReason.FREE_LISTING;
        }
        return standing.activeSubscription()
                ? EntitlementReason.ACTIVE_SUBSCRIPTION
                : EntitlementReason.SUBSCRIPTION_REQUIRED;
    }
}
