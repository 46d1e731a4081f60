package org.modelmarket.platform.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bearer tokens already verified by quarkus-oidc, kept so that a caller's next requests with the same token skip the
 * signature check ({@link VerifiedTokens}); the same settings in every service, under
 * {@code modelmarket.security.token-cache}.
 */
@ConfigMapping(prefix = "modelmarket.security.token-cache")
public interface TokenCacheConfig {

    /** Off: every request's token is verified by quarkus-oidc again. */
    @WithDefault("true")
    boolean enabled();

    /** Tokens kept at most (least recently used go first). */
    @WithDefault("10000")
    long maxSize();

    /**
     * How long a verified token is kept at most, even when its {@code exp} is later: bounds how long a signing key that
     * was withdrawn still counts for tokens verified before; never beyond the token's own expiry.
     */
    @WithDefault("PT5M")
    Duration maxAge();
}
