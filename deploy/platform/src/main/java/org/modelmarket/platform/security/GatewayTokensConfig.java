package org.modelmarket.platform.security;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The JWTs the gateway forwards for API tokens ({@code modelmarket.gateway-tokens.*}): which issuer they name and the
 * set of public keys a service accepts them from ({@link GatewayTokenTenants}). A set, so that the gateway's signing
 * key can be rotated without a failed request: the next key is added before the gateway signs with it, the old one is
 * dropped after the last JWT it signed has expired.
 */
@ConfigMapping(prefix = "modelmarket.gateway-tokens")
public interface GatewayTokensConfig {

    /** On in the services; off in the gateway (which mints these JWTs and never accepts them) and in benchmarks. */
    @WithDefault("false")
    boolean enabled();

    /** The {@code iss} of the forwarded JWTs (required when enabled). */
    Optional<String> issuer();

    /**
     * One or more RSA public keys (X.509 SubjectPublicKeyInfo), each as a PEM block or bare base64, separated by
     * commas or white space (required when enabled). A JWT is checked against the key its {@code kid} names, the key's
     * RFC 7638 thumbprint ({@link GatewayKeys#keyId}).
     */
    Optional<String> publicKeys();
}
