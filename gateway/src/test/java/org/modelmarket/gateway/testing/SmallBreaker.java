package org.modelmarket.gateway.testing;

import java.time.Duration;

import org.modelmarket.gateway.config.GatewayConfig;

/**
 * Downstream numbers with a small circuit breaker (window 4, failure ratio 0.5, open 30 s, one trial call closes it),
 * so that a test opens it in a few calls and sees it stay open.
 */
public final class SmallBreaker {

    /** The breaker itself. */
    public static final GatewayConfig.Breaker BREAKER = new GatewayConfig.Breaker() {
        @Override
        public int window() {
            return 4;
        }

        @Override
        public double failureRatio() {
            return 0.5;
        }

        @Override
        public Duration delay() {
            return Duration.ofSeconds(30);
        }

        @Override
        public int successThreshold() {
            return 1;
        }
    };

    private SmallBreaker() {}

    /**
     * The small breaker with these limits, a 1 s connect timeout, a 1 ms retry delay, {@code Retry-After: 5} and 64
     * pooled connections.
     */
    public static GatewayConfig.Downstream downstream(
            Duration responseTimeout, int retries, int maxConcurrent, int maxQueued) {
        return new GatewayConfig.Effective(
                Duration.ofSeconds(1),
                responseTimeout,
                retries,
                Duration.ofMillis(1),
                maxConcurrent,
                maxQueued,
                BREAKER,
                5,
                64);
    }
}
