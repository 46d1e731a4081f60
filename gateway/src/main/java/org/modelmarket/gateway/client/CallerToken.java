package org.modelmarket.gateway.client;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The current caller's bearer token, as an {@code Authorization} header value for calls made on the caller's behalf. */
@ApplicationScoped
public class CallerToken {

    private final CurrentIdentityAssociation identity;

    CallerToken(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    /**
     * Resolves the caller's identity without blocking (authentication is lazy) and returns its token, empty for
     * anonymous callers. An invalid token fails the Uni with an authentication failure.
     */
    public Uni<Optional<String>> authorization() {
        return identity.getDeferredIdentity().map(CallerToken::bearer);
    }

    private static Optional<String> bearer(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        TokenCredential token = identity.getCredential(TokenCredential.class);
        return token == null ? Optional.empty() : Optional.of("Bearer " + token.getToken());
    }
}
