package org.modelmarket.billing.entitlement.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.entitlement.service.SubscriptionLookup.Standing;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.PriceType;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * The cache's own rules, on a controllable ticker: what it keeps, for how long at most (the staleness bound when no
 * event arrives), and what drops an entry. Its use with real replicas' events is in {@code EntitlementCacheEventsTest}.
 */
class EntitlementCacheTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final AtomicLong nanos = new AtomicLong();
    private final UUID listingId = UUID.randomUUID();
    private final AtomicInteger loads = new AtomicInteger();
    private volatile boolean active = true;

    private final EntitlementCache cache = new EntitlementCache(settings(true), nanos::get);

    @Test
    void aRepeatedLookupIsAnsweredWithoutLoading() {
        assertThat(lookup("alice")).isTrue();
        active = false;
        assertThat(lookup("alice")).as("served from the cache").isTrue();
        assertThat(loads).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void noEntryOutlivesMaxAge() {
        assertThat(lookup("alice")).isTrue();
        active = false; // changed on another replica, and its event never came
        nanos.addAndGet(MAX_AGE.toNanos() - 1);
        assertThat(lookup("alice")).as("still within max-age").isTrue();
        nanos.addAndGet(1);
        assertThat(lookup("alice")).as("max-age reached: read again").isFalse();
        assertThat(loads).hasValue(2);
    }

    @Test
    void aChangeOfThePairDropsOnlyItsEntry() {
        lookup("alice");
        lookup("bob");
        active = false;
        cache.invalidate("acme", "model", "alice");
        assertThat(lookup("alice")).isFalse();
        assertThat(lookup("bob")).as("another subject's entry stays").isTrue();
        assertThat(loads).hasValue(3);
    }

    @Test
    void aListingChangeDropsEveryEntryOfTheListing() {
        lookup("alice");
        lookup("bob");
        cache.invalidateListing(listingId, "", "");
        lookup("alice");
        lookup("bob");
        assertThat(loads).hasValue(4);
    }

    @Test
    void aLoadThatRacedAnInvalidationIsAnsweredButNotKept() {
        UniEmitter<? super Standing>[] pending = new UniEmitter[1];
        Uni<Standing> slow = cache.get("acme", "model", "alice", () -> {
            loads.incrementAndGet();
            return Uni.createFrom().emitter(emitter -> pending[0] = emitter);
        });
        Boolean[] answer = new Boolean[1];
        slow.subscribe().with(standing -> answer[0] = standing.activeSubscription());
        // the load read the old state; the change commits and its event arrives before the load's answer
        cache.invalidate("acme", "model", "alice");
        pending[0].complete(standing(true));
        assertThat(answer[0]).isTrue();
        active = false;
        assertThat(lookup("alice")).as("the raced answer was not kept").isFalse();
        assertThat(loads).hasValue(2);
    }

    @Test
    void anUnknownListingIsNotKept() {
        Supplier<Uni<Standing>> unknown = () -> {
            loads.incrementAndGet();
            return Uni.createFrom().nullItem();
        };
        cache.get("acme", "nothing", "alice", unknown).await().indefinitely();
        cache.get("acme", "nothing", "alice", unknown).await().indefinitely();
        assertThat(loads).hasValue(2);
    }

    @Test
    void offEveryLookupLoads() {
        EntitlementCache off = new EntitlementCache(settings(false), nanos::get);
        for (int i = 0; i < 3; i++) {
            off.get("acme", "model", "alice", this::load).await().indefinitely();
        }
        assertThat(loads).hasValue(3);
    }

    private boolean lookup(String subject) {
        return cache.get("acme", "model", subject, this::load)
                .await()
                .indefinitely()
                .activeSubscription();
    }

    private Uni<Standing> load() {
        loads.incrementAndGet();
        return Uni.createFrom().item(standing(active));
    }

    private Standing standing(boolean activeSubscription) {
        Listing listing = new Listing();
        listing.id = listingId;
        listing.namespace = "acme";
        listing.name = "model";
        listing.priceType = PriceType.PAID;
        return new Standing(listing, activeSubscription);
    }

    static BillingConfig.EntitlementCache settings(boolean enabled) {
        return new BillingConfig.EntitlementCache() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public long maxSize() {
                return 1000;
            }

            @Override
            public Duration maxAge() {
                return MAX_AGE;
            }
        };
    }
}
