package org.modelmarket.billing.entitlement.service;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.entitlement.service.SubscriptionLookup.Standing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.mutiny.Uni;

/**
 * Recent entitlement standings per (listing, subject), so that a caller's repeated lookups cost no database round
 * trip. Staleness is bounded three ways: this replica's own subscription changes and listing updates invalidate at
 * once; every replica drops an entry when the {@code billing.entitlements} event of that (listing, subject) arrives
 * (any replica's change, about a second after its commit through the outbox); and no entry lives longer than
 * {@code modelmarket.billing.entitlement-cache.max-age}, whatever Kafka does.
 */
@ApplicationScoped
public class EntitlementCache {

    private record Key(String namespace, String name, String subject) {}

    private final boolean enabled;
    private final Cache<Key, Standing> cache;

    /**
     * Counts invalidations: a load that saw another count when it started may have read the state from before an
     * invalidation that raced it, so its answer is served but not kept.
     */
    private final AtomicLong generation = new AtomicLong();

    @Inject
    EntitlementCache(BillingConfig config, MeterRegistry registry) {
        this(config.entitlementCache(), Ticker.systemTicker());
        // /q/metrics: cache_gets_total{cache="billing-entitlements",result="hit"|"miss"}, cache_size, evictions
        CaffeineCacheMetrics.monitor(registry, cache, "billing-entitlements");
    }

    EntitlementCache(BillingConfig.EntitlementCache settings, Ticker ticker) {
        this.enabled = settings.enabled();
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.maxSize())
                .expireAfterWrite(settings.maxAge())
                .ticker(ticker)
                .recordStats()
                .build();
    }

    /** The standing from the cache, else from {@code load} (kept unless null: an unknown listing is never kept). */
    public Uni<Standing> get(String namespace, String name, String subject, Supplier<Uni<Standing>> load) {
        if (!enabled) {
            return load.get();
        }
        Key key = new Key(namespace, name, subject);
        Standing cached = cache.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        long started = generation.get();
        return load.get().invoke(standing -> {
            if (standing != null && generation.get() == started) {
                cache.put(key, standing);
            }
        });
    }

    /** The subject's entitlement to the listing at {@code namespace/name} changed. */
    public void invalidate(String namespace, String name, String subject) {
        generation.incrementAndGet();
        cache.invalidate(new Key(namespace, name, subject));
    }

    /** The listing changed (price type, coordinates) or is gone: every entry of it, and of its coordinates, goes. */
    public void invalidateListing(UUID listingId, String namespace, String name) {
        generation.incrementAndGet();
        cache.asMap()
                .entrySet()
                .removeIf(entry -> entry.getValue().listing().id.equals(listingId)
                        || (entry.getKey().namespace().equals(namespace)
                                && entry.getKey().name().equals(name)));
    }

    /** Everything goes (an entitlement event that cannot be read: which entry it meant is unknown). */
    public void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    /** Lookups answered from here (for tests and metrics). */
    public long hits() {
        return cache.stats().hitCount();
    }
}
