package org.modelmarket.gateway.token;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.GatewayKeys;
import org.modelmarket.platform.security.Roles;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Mints the short-lived JWT the gateway forwards to the services for an API token: {@code iss} the gateway,
 * {@code sub} the owner, the owner's realm roles and vendor namespaces as the owner's Keycloak token had them at the
 * token's creation, narrowed by its scopes and restriction. Its {@code kid} is the signing key's RFC 7638 thumbprint:
 * the services accept a set of the gateway's public keys and check each JWT against the one its {@code kid} names
 * (platform {@code GatewayTokenTenants}), so the key can be rotated without a failed request (gateway/README.md, "API
 * tokens"). They see the same {@code Caller} as with the owner's Keycloak token.
 */
@ApplicationScoped
public class ForwardedJwt {

    private static final Logger LOG = Logger.getLogger(ForwardedJwt.class);

    private final TokenConfig config;
    private final Optional<PrivateKey> key;

    /** The {@code kid} of the signing key: its public half's RFC 7638 thumbprint, which the services look it up by. */
    private final Optional<String> keyId;

    ForwardedJwt(TokenConfig config) {
        this.config = config;
        this.key = config.signingKey().filter(text -> !text.isBlank()).map(ForwardedJwt::privateKey);
        this.keyId = key.map(ForwardedJwt::keyIdOf);
        if (key.isEmpty()) {
            LOG.warn(
                    "modelmarket.gateway.tokens.signing-key is not set: API tokens cannot be forwarded to the services");
        } else {
            LOG.infof("Forwarded JWTs are signed with the key of kid %s", keyId.get());
        }
    }

    /** The {@code kid} the forwarded JWTs carry (empty without a signing key). */
    public Optional<String> keyId() {
        return keyId;
    }

    /** The signed JWT for a request authenticated by {@code token}. */
    public String mint(ApiToken token, Instant now) {
        PrivateKey signing =
                key.orElseThrow(() -> new IllegalStateException("modelmarket.gateway.tokens.signing-key is not set"));
        Duration lifetime = config.forwardedLifetime();
        JwtClaimsBuilder claims = Jwt.issuer(config.issuer())
                .subject(token.ownerSubject())
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(lifetime).getEpochSecond())
                .claim("typ", "Bearer")
                .claim("azp", "gateway")
                .claim("api_token", token.id().toString())
                .claim(
                        "scope",
                        String.join(
                                " ", token.scopes().stream().map(Scope::wire).toList()))
                .claim("realm_access", Map.of("roles", List.copyOf(roles(token))))
                .claim(Caller.NAMESPACES_CLAIM, List.copyOf(namespaces(token)));
        token.ownerName().ifPresent(name -> claims.claim("preferred_username", name));
        token.ownerEmail().ifPresent(email -> claims.claim("email", email));
        return claims.jws().keyId(keyId.orElseThrow()).sign(signing);
    }

    /**
     * The owner's roles narrowed by the scopes: {@code vendor} needs {@code publish} (which {@code admin} implies) or
     * {@code meter}, {@code admin} needs {@code admin}; any other role (buyer) stays, since reading is what every
     * token may do.
     */
    public static Set<String> roles(ApiToken token) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : token.ownerRoles()) {
            boolean keep = switch (role) {
                case Roles.VENDOR -> token.grants(Scope.PUBLISH) || token.grants(Scope.METER);
                case Roles.ADMIN -> token.grants(Scope.ADMIN);
                default -> true;
            };
            if (keep) {
                roles.add(role);
            }
        }
        return roles;
    }

    /** The owner's vendor namespaces, narrowed to the token's restriction. */
    public static Set<String> namespaces(ApiToken token) {
        Set<String> namespaces = new LinkedHashSet<>();
        for (String namespace : token.ownerNamespaces()) {
            if (token.reaches(namespace)) {
                namespaces.add(namespace);
            }
        }
        return namespaces;
    }

    /**
     * The kid of the key pair {@code key} belongs to, computed from its public half (modulus and public exponent, which
     * a PKCS#8 RSA key holds) exactly as the services compute it from the public keys they are given.
     */
    private static String keyIdOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException(
                    "modelmarket.gateway.tokens.signing-key must be a full RSA private key (PKCS#8 with CRT values)");
        }
        try {
            PublicKey publicHalf = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return GatewayKeys.keyId(publicHalf);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is always available", e);
        }
    }

    private static PrivateKey privateKey(String text) {
        String base64 = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "modelmarket.gateway.tokens.signing-key is not an RSA private key (PKCS#8, PEM or base64)", e);
        }
    }
}
