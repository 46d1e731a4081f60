package org.modelmarket.stack.test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Bearer tokens for ordinary tests, shaped like Keycloak's (realm roles in {@code realm_access.roles}) and signed
 * with a key pair made for this test run; {@link LocalStackResource} hands the public half to quarkus-oidc, so tokens
 * are validated for real without a Keycloak server. End-to-end tests use real Keycloak tokens instead.
 */
public final class TestTokens {

    /** The issuer the services are told to expect in tests. */
    public static final String ISSUER = "https://keycloak.test/realms/modelmarket";

    /** The issuer of the JWTs the gateway mints for API tokens in tests (the services' {@code gateway} tenant). */
    public static final String GATEWAY_ISSUER = "https://gateway.test";

    private static final KeyPair KEYS = generate();

    /** The gateway's signing key pair of this test run (API tokens' forwarded JWTs). */
    private static final KeyPair GATEWAY_KEYS = generate();

    /**
     * A second key of the services' set, as during a rotation (the next key, or the previous one): the services accept
     * JWTs signed by either; the gateway signs with {@link #GATEWAY_KEYS}.
     */
    private static final KeyPair GATEWAY_NEXT_KEYS = generate();

    private TestTokens() {}

    /** {@code "Bearer <jwt>"} for subject {@code user} with the given realm roles. */
    public static String bearer(String user, String... roles) {
        return "Bearer " + token(user, roles);
    }

    /** A signed access token for subject {@code user} with the given realm roles. */
    public static String token(String user, String... roles) {
        return signed(withProfile(claims(ISSUER, user, roles), user).expiresIn(Duration.ofHours(1)));
    }

    /** {@code "Bearer <jwt>"} like {@link #bearer}, naming the caller's vendor namespaces (claim {@code namespaces}). */
    public static String bearerOf(String user, List<String> namespaces, String... roles) {
        return "Bearer "
                + signed(withProfile(claims(ISSUER, user, roles), user)
                        .claim("namespaces", namespaces)
                        .expiresIn(Duration.ofHours(1)));
    }

    /** A token that is well formed but expired, for negative tests. */
    public static String expiredBearer(String user, String... roles) {
        long past = System.currentTimeMillis() / 1000 - 3600;
        return "Bearer "
                + signed(claims(ISSUER, user, roles).issuedAt(past - 60).expiresAt(past));
    }

    /**
     * A token signed with this run's trusted key but naming {@code issuer}, which the services do not accept (their
     * default tenant expects {@link #ISSUER}): refused on the issuer alone.
     */
    public static String tokenOfIssuer(String issuer, String user, String... roles) {
        return signed(claims(issuer, user, roles).expiresIn(Duration.ofHours(1)));
    }

    /** A valid token like {@link #token} that expires at {@code expSeconds} (epoch seconds), for expiry tests. */
    public static String tokenExpiringAt(long expSeconds, String user, String... roles) {
        return signed(claims(ISSUER, user, roles).expiresAt(expSeconds));
    }

    /** The public key as quarkus-oidc's {@code public-key} setting expects it: base64 X.509, no PEM lines. */
    public static String publicKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    /**
     * The services' set of gateway keys, for {@code modelmarket.gateway-tokens.public-keys}: the gateway's key and
     * {@link #gatewayNextKeys()}, base64 X.509, comma-separated.
     */
    public static String gatewayPublicKeys() {
        return Base64.getEncoder().encodeToString(GATEWAY_KEYS.getPublic().getEncoded()) + ","
                + Base64.getEncoder()
                        .encodeToString(GATEWAY_NEXT_KEYS.getPublic().getEncoded());
    }

    /** The second key pair of the services' set (not the one the gateway signs with). */
    public static KeyPair gatewayNextKeys() {
        return GATEWAY_NEXT_KEYS;
    }

    /** The gateway's own key pair (the one {@link #gatewaySigningKey} holds). */
    public static KeyPair gatewayKeys() {
        return GATEWAY_KEYS;
    }

    /** The gateway's private key (PKCS#8, base64), for {@code modelmarket.gateway.tokens.signing-key}. */
    public static String gatewaySigningKey() {
        return Base64.getEncoder().encodeToString(GATEWAY_KEYS.getPrivate().getEncoded());
    }

    /**
     * A JWT shaped like the ones the gateway forwards for an API token (issuer {@link #GATEWAY_ISSUER}), signed with
     * the gateway's key of this run and named by its {@code kid}, or with {@code foreignKey} under the {@code kid}
     * {@code "foreign"} to test that another key is refused.
     */
    public static String gatewayToken(
            String user, List<String> namespaces, java.security.PrivateKey foreignKey, String... roles) {
        return foreignKey != null
                ? gatewayTokenWithKid(user, namespaces, foreignKey, "foreign", roles)
                : gatewayTokenWithKid(user, namespaces, GATEWAY_KEYS.getPrivate(), gatewayKeyId(), roles);
    }

    /** A gateway-shaped JWT (as above) signed by {@code key} under the header {@code kid}, whatever key that names. */
    public static String gatewayTokenWithKid(
            String user, List<String> namespaces, java.security.PrivateKey key, String kid, String... roles) {
        return claims(GATEWAY_ISSUER, user, roles)
                .claim("preferred_username", user)
                .claim("namespaces", namespaces)
                .expiresIn(Duration.ofSeconds(60))
                .jws()
                .keyId(kid)
                .sign(key);
    }

    /** The {@code kid} of the gateway's key: its RFC 7638 thumbprint, as the gateway and the services compute it. */
    public static String gatewayKeyId() {
        return keyId(GATEWAY_KEYS.getPublic());
    }

    /** The RFC 7638 JWK thumbprint (SHA-256, base64url) of {@code key}: the {@code kid} the services look it up by. */
    public static String keyId(java.security.PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
        } catch (JoseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A fresh RSA key pair (for a "signed by another key" test). */
    public static KeyPair otherKeys() {
        return generate();
    }

    /** What every test token says, whatever its issuer: the subject, its realm roles, and Keycloak's {@code typ}. */
    private static JwtClaimsBuilder claims(String issuer, String user, String... roles) {
        return Jwt.issuer(issuer)
                .subject(user)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .claim("typ", "Bearer");
    }

    /** The profile claims Keycloak adds to an access token (name and e-mail). */
    private static JwtClaimsBuilder withProfile(JwtClaimsBuilder claims, String user) {
        return claims.claim("preferred_username", user).claim("email", user + "@example.test");
    }

    /** Signed with this run's trusted key (the one {@link #publicKey} hands to the services). */
    private static String signed(JwtClaimsBuilder claims) {
        return claims.jws().keyId("test").sign(KEYS.getPrivate());
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is always available", e);
        }
    }
}
