package org.modelmarket.gateway.route.proxy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.route.Route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Token buckets per caller and tier (Bucket4j), kept in a bounded cache: a caller's bucket for API calls and one for
 * file resolution. Answers what the {@code RateLimit} and {@code RateLimit-Policy} headers (IETF draft
 * "RateLimit header fields for HTTP") say, and whether the call may go on.
 */
final class RateLimiter {

    /** The two tiers. */
    enum Tier {
        API("api"),
        FILES("files");

        final String policy;

        Tier(String policy) {
            this.policy = policy;
        }
    }

    /** What one call was told. */
    record Decision(boolean allowed, String policy, String state, long retryAfterSeconds) {}

    private final GatewayConfig.RateLimits config;
    private final Cache<String, Bucket> buckets;

    /** The {@code RateLimit-Policy} value per tier and caller kind (authenticated, anonymous): built once. */
    private final String[][] policies = new String[Tier.values().length][2];

    RateLimiter(GatewayConfig.RateLimits config) {
        this.config = config;
        long windowSeconds = config.window().toSeconds();
        for (Tier tier : Tier.values()) {
            for (boolean anonymous : new boolean[] {false, true}) {
                policies[tier.ordinal()][anonymous ? 1 : 0] =
                        "\"" + tier.policy + "\";q=" + quota(tier, anonymous) + ";w=" + windowSeconds;
            }
        }
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.maxCallers())
                // A bucket untouched for a window is full again: dropping it changes nothing.
                .expireAfterAccess(config.window().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    boolean enabled() {
        return config.enabled();
    }

    /** File resolution: downloads and their HEAD, trees, paths-info, signed URLs. */
    static Tier tierOf(Route route) {
        String template = route.template();
        boolean files = "GET".equals(route.method())
                && (template.endsWith("/files/{path}")
                        || template.contains("/tree/")
                        || template.contains("/paths-info/")
                        || template.startsWith("/api/v1/signed/"));
        return files ? Tier.FILES : Tier.API;
    }

    private int quota(Tier tier, boolean anonymous) {
        return switch (tier) {
            case API -> anonymous ? config.anonymousApi() : config.authenticatedApi();
            case FILES -> anonymous ? config.anonymousFiles() : config.authenticatedFiles();
        };
    }

    /** Takes one token from the bucket of {@code caller} (a subject, or {@code ip:<address>}) in {@code tier}. */
    Decision take(Tier tier, String caller, boolean anonymous) {
        int quota = quota(tier, anonymous);
        Duration window = config.window();
        Bucket bucket = buckets.get(
                tier.policy + "|" + caller,
                key -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(quota)
                                .refillGreedy(quota, window)
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long windowSeconds = window.toSeconds();
        String policy = policies[tier.ordinal()][anonymous ? 1 : 0];
        if (probe.isConsumed()) {
            // Time until the bucket is full again, an upper bound of when the quota resets.
            long missing = quota - probe.getRemainingTokens();
            long reset = (long) Math.ceil((double) missing * windowSeconds / quota);
            return new Decision(
                    true, policy, "\"" + tier.policy + "\";r=" + probe.getRemainingTokens() + ";t=" + reset, 0);
        }
        long wait = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        return new Decision(false, policy, "\"" + tier.policy + "\";r=0;t=" + wait, wait);
    }
}
