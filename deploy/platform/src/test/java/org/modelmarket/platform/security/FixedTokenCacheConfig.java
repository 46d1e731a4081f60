package org.modelmarket.platform.security;

import java.time.Duration;

/** The token cache's settings as fixed values, for tests that build {@link VerifiedTokens} without Quarkus. */
record FixedTokenCacheConfig(boolean enabled, long maxSize, Duration maxAge) implements TokenCacheConfig {

    /** The cache as the tests use it: 100 tokens, five minutes at most. */
    static FixedTokenCacheConfig of(boolean enabled) {
        return new FixedTokenCacheConfig(enabled, 100, Duration.ofMinutes(5));
    }
}
