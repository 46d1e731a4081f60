package org.modelmarket.gateway.token.auth;

import java.util.Optional;

import org.modelmarket.gateway.token.TokenService;

import io.quarkus.security.identity.SecurityIdentity;

/** Where an identity authenticated by an API token keeps its token (a {@link SecurityIdentity} attribute). */
public final class ApiTokenIdentity {

    /** The attribute holding the {@link TokenService.Authenticated} of the request. */
    public static final String ATTRIBUTE = "modelmarket.api-token";

    private ApiTokenIdentity() {}

    /** The API token that authenticated {@code identity}; empty for Keycloak tokens and anonymous callers. */
    public static Optional<TokenService.Authenticated> of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        return identity.getAttribute(ATTRIBUTE) instanceof TokenService.Authenticated authenticated
                ? Optional.of(authenticated)
                : Optional.empty();
    }
}
