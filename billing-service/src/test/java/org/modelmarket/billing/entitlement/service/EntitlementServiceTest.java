package org.modelmarket.billing.entitlement.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.entitlement.Entitlement;
import org.modelmarket.billing.entitlement.EntitlementReason;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.listing.PriceType;
import org.modelmarket.platform.security.Caller;

import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.mutiny.Uni;

/** The entitlement rules, with the subscription seam (listing and standing) replaced by a fake. */
class EntitlementServiceTest {

    /** The rules on their own: every decision reads the (fake) lookup; the cache has its own test. */
    private static final Caller ALICE = new Caller("alice", Set.of("buyer"), Set.of());

    private static final EntitlementCache NO_CACHE =
            new EntitlementCache(EntitlementCacheTest.settings(false), Ticker.systemTicker());

    @Test
    void freeListingsAreGrantedToEveryone() {
        Entitlement entitlement = decide(PriceType.FREE, false);

        assertThat(entitlement.granted()).isTrue();
        assertThat(entitlement.reason()).isEqualTo(EntitlementReason.FREE_LISTING);
        assertThat(entitlement.listing()).isEqualTo("acme/model");
        assertThat(entitlement.subject()).isEqualTo("alice");
    }

    @Test
    void paidAndTrialListingsNeedASubscription() {
        assertThat(decide(PriceType.PAID, false).reason()).isEqualTo(EntitlementReason.SUBSCRIPTION_REQUIRED);
        assertThat(decide(PriceType.TRIAL, false).granted()).isFalse();
    }

    @Test
    void anActiveSubscriptionGrantsPaidListings() {
        assertThat(decide(PriceType.PAID, true).reason()).isEqualTo(EntitlementReason.ACTIVE_SUBSCRIPTION);
        assertThat(decide(PriceType.TRIAL, true).granted()).isTrue();
    }

    @Test
    void unknownListingsAreNotFound() {
        EntitlementService service = new EntitlementService(
                (namespace, name, subject) -> Uni.createFrom().nullItem(), NO_CACHE);

        assertThatThrownBy(() -> service.decide("acme", "model", ALICE).await().indefinitely())
                .isInstanceOf(ListingNotFoundException.class);
    }

    private static Entitlement decide(PriceType priceType, boolean subscribed) {
        Listing listing = new Listing();
        listing.id = UUID.randomUUID();
        listing.namespace = "acme";
        listing.name = "model";
        listing.priceType = priceType;
        SubscriptionLookup subscriptions = (namespace, name, subject) -> Uni.createFrom()
                .item(
                        namespace.equals("acme") && name.equals("model")
                                ? new SubscriptionLookup.Standing(listing, subscribed && subject.equals("alice"))
                                : null);
        return new EntitlementService(subscriptions, NO_CACHE)
                .decide("acme", "model", ALICE)
                .await()
                .indefinitely();
    }
}
