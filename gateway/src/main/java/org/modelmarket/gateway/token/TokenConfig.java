package org.modelmarket.gateway.token;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** API tokens and the JWTs the gateway forwards for them ({@code modelmarket.gateway.tokens.*}). */
@ConfigMapping(prefix = "modelmarket.gateway.tokens")
public interface TokenConfig {

    /** The {@code iss} of the forwarded JWTs; the services' {@code gateway} OIDC tenant expects exactly this. */
    @WithDefault("https://gateway.modelmarket.local")
    String issuer();

    /**
     * The gateway's RSA private key (PKCS#8, PEM or bare base64) that signs the forwarded JWTs; the services get the
     * public half. Unset: tokens still authenticate at the gateway, but nothing can be forwarded (startup warns).
     */
    Optional<String> signingKey();

    /** Lifetime of a forwarded JWT. */
    @WithDefault("60s")
    Duration forwardedLifetime();

    /**
     * How long a looked-up token (and the JWT minted for it) is reused on this replica; a revocation made on another
     * replica takes effect here within this time. Keep it well under {@link #forwardedLifetime()}.
     */
    @WithDefault("20s")
    Duration cacheTtl();

    /** How often the last-used times are written (one batch for all tokens used meanwhile). */
    @WithDefault("30s")
    Duration lastUsedFlush();

    /** At most this many live tokens per owner. */
    @WithDefault("100")
    int maxPerOwner();

    /**
     * The largest usage report ({@code POST /api/v1/metering/batch-meter-usage}) the edge reads for a restricted
     * token, to check the listing in its body; a larger one is a 413. 25 records with a few allocations each take a
     * few KiB; billing's validation would admit about 1.2 MB (25 records x 25 allocations x 5 tags of full length).
     */
    @WithDefault("262144")
    int meteringBodyLimit();
}
