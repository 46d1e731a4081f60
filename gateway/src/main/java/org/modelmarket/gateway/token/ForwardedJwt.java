package org.modelmarket.gateway.token;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
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
import org.modelmarket.platform.security.Roles;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Mints the short-lived JWT the gateway forwards to the services for an API token: {@code iss} the gateway,
 * {@code sub} the owner, the owner's realm roles and vendor namespaces as the owner's Keycloak token had them at the
 * token's creation, narrowed by its scopes and restriction. The services validate it with their {@code gateway} OIDC
 * tenant (the gateway's public key) and see the same {@code Caller} as with the owner's Keycloak token.
 */
@ApplicationScoped
public class ForwardedJwt {

    private static final Logger LOG = Logger.getLogger(ForwardedJwt.class);

    private final TokenConfig config;
    private final Optional<PrivateKey> key;

    ForwardedJwt(TokenConfig config) {
        this.config = config;
        this.key = config.signingKey().filter(text -> !text.isBlank()).map(ForwardedJwt::privateKey);
        if (key.isEmpty()) {
            LOG.warn(
                    "modelmarket.gateway.tokens.signing-key is not set: API tokens cannot be forwarded to the services");
        }
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
        return claims.jws().keyId("gateway").sign(signing);
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
            boolean inListings = token.listings().isEmpty()
                    || token.listings().stream().anyMatch(listing -> listing.startsWith(namespace + "/"));
            if (token.namespace().map(namespace::equals).orElse(true) && inListings) {
                namespaces.add(namespace);
            }
        }
        return namespaces;
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
