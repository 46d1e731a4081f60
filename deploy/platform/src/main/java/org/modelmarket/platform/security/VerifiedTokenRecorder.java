package org.modelmarket.platform.security;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Puts each bearer token quarkus-oidc has just verified into {@link VerifiedTokens}, with the identity quarkus-oidc made
 * for it. Runs before every other augmentor, so a cached identity is augmented exactly like a fresh one. Tokens that
 * quarkus-oidc checked by introspection (opaque ones, where revocation is visible) are left to quarkus-oidc's own
 * {@code quarkus.oidc.token-cache}.
 */
@ApplicationScoped
public class VerifiedTokenRecorder implements SecurityIdentityAugmentor {

    /** quarkus-oidc's identity attribute of an introspection answer. */
    private static final String INTROSPECTION = "introspection";

    private final VerifiedTokens tokens;

    VerifiedTokenRecorder(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(identity);
    }

    @Override
    public Uni<SecurityIdentity> augment(
            SecurityIdentity identity, AuthenticationRequestContext context, Map<String, Object> attributes) {
        if (!identity.isAnonymous()
                && attributes.get(VerifiedTokenIdentityProvider.FROM_CACHE) == null
                && identity.getAttribute(INTROSPECTION) == null
                && identity.getPrincipal() instanceof JsonWebToken jwt
                && jwt.getExpirationTime() > 0) {
            AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
            if (credential != null && credential.getToken() != null) {
                tokens.remember(credential.getToken(), withoutRequest(identity), jwt.getExpirationTime());
            }
        }
        return Uni.createFrom().item(identity);
    }

    /** The identity without the objects of the request that verified it (they would outlive it in the cache). */
    private static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder copy = QuarkusSecurityIdentity.builder(identity);
        for (String key : new String[] {
            VerifiedTokenIdentityProvider.ROUTING_CONTEXT, VerifiedTokenIdentityProvider.REQUEST_CONTEXT
        }) {
            if (identity.getAttributes().containsKey(key)) {
                copy.addAttribute(key, null);
            }
        }
        return copy.build();
    }
}
