package org.modelmarket.platform.security;

import java.time.Duration;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Identities of bearer tokens that quarkus-oidc has verified, keyed by the exact token text and kept until the token's
 * {@code exp} (at most {@code modelmarket.security.token-cache.max-age}). quarkus-oidc verifies a JWT on every request
 * (parsing it, checking its RSA signature, building the principal from the claims) and its own
 * {@code quarkus.oidc.token-cache} only keeps introspection and UserInfo answers, so a caller's repeated requests with
 * one token are served from here. A forged or altered token is another key and never matches; an expired one is never
 * answered from here, whatever the cache still holds.
 */
@ApplicationScoped
public class VerifiedTokens {

    /** A verified identity and when its token expires (epoch milliseconds). */
    record Verified(SecurityIdentity identity, long expiresAtMillis) {}

    private final boolean enabled;
    private final Cache<String, Verified> cache;
    private final LongSupplier clock;

    @Inject
    VerifiedTokens(TokenCacheConfig config, MeterRegistry registry) {
        this(config, registry, System::currentTimeMillis);
    }

    /** With a wall clock of the caller's (epoch milliseconds), for tests of the expiry rule. */
    VerifiedTokens(TokenCacheConfig config, MeterRegistry registry, LongSupplier clock) {
        this.enabled = config.enabled();
        this.clock = clock;
        Duration maxAge = config.maxAge();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxSize())
                // Each entry dies at its token's expiry or after max-age, whichever comes first.
                .expireAfter(Expiry.<String, Verified>creating((token, verified) -> {
                    Duration untilExpiry =
                            Duration.ofMillis(Math.max(0, verified.expiresAtMillis() - clock.getAsLong()));
                    return untilExpiry.compareTo(maxAge) < 0 ? untilExpiry : maxAge;
                }))
                .recordStats()
                .build();
        // /q/metrics: cache_gets_total{cache="verified-tokens",result="hit"|"miss"}, cache_size, evictions
        CaffeineCacheMetrics.monitor(registry, cache, "verified-tokens");
    }

    /** The identity verified for exactly {@code token} while the token has not expired; {@code null} otherwise. */
    SecurityIdentity find(String token) {
        if (!enabled) {
            return null;
        }
        Verified verified = cache.getIfPresent(token);
        if (verified == null) {
            return null;
        }
        // The wall clock, as quarkus-oidc's own expiry check uses (not a service's business Clock): valid while
        // now < exp, the same rule, so nothing quarkus-oidc would refuse as expired is answered from here.
        if (clock.getAsLong() >= verified.expiresAtMillis()) {
            cache.invalidate(token);
            return null;
        }
        return verified.identity();
    }

    /** Keeps the identity quarkus-oidc verified for {@code token}, which expires at {@code expSeconds} (its exp). */
    void remember(String token, SecurityIdentity identity, long expSeconds) {
        long expiresAtMillis = expSeconds * 1000;
        if (enabled && expiresAtMillis > clock.getAsLong()) {
            cache.put(token, new Verified(identity, expiresAtMillis));
        }
    }

    /** How many lookups were answered from here (for tests and metrics). */
    public long hits() {
        return cache.stats().hitCount();
    }
}
