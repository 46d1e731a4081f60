package org.modelmarket.billing.entitlement.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.entitlement.Entitlement;
import org.modelmarket.billing.entitlement.EntitlementReason;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.listing.PriceType;
import org.modelmarket.billing.listing.service.ListingProjectionService;

import io.smallrye.mutiny.Uni;

/**
 * Decides entitlements: free listings are open to every authenticated subject; paid and trial listings need an
 * active subscription, asked of {@link SubscriptionLookup}.
 */
@ApplicationScoped
public class EntitlementService {

    private final ListingProjectionService listings;
    private final SubscriptionLookup subscriptions;

    public EntitlementService(ListingProjectionService listings, SubscriptionLookup subscriptions) {
        this.listings = listings;
        this.subscriptions = subscriptions;
    }

    /** Whether {@code subject} may use the listing at {@code namespace/name}; 404 for unknown listings. */
    public Uni<Entitlement> decide(String namespace, String name, String subject) {
        return listings.find(namespace, name)
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(namespace, name))
                .chain(listing -> reason(listing, subject)
                        .map(reason -> new Entitlement(listing.coordinates(), subject, reason)));
    }

    private Uni<EntitlementReason> reason(Listing listing, String subject) {
        if (listing.priceType == PriceType.FREE) {
            return Uni.createFrom().item(EntitlementReason.FREE_LISTING);
        }
        return subscriptions
                .hasActiveSubscription(listing.id, subject)
                .map(subscribed ->
                        subscribed ? EntitlementReason.ACTIVE_SUBSCRIPTION : EntitlementReason.SUBSCRIPTION_REQUIRED);
    }
}
