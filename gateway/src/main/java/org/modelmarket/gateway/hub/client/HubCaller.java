package org.modelmarket.gateway.hub.client;

import java.util.Optional;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller of a Hub endpoint: its identity (anonymous when no token was sent) and the {@code Authorization} value
 * the gateway forwards to the services, which authorize the caller themselves.
 */
public record HubCaller(SecurityIdentity identity, Optional<String> authorization) {

    public static HubCaller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return new HubCaller(identity, Optional.empty());
        }
        TokenCredential token = identity.getCredential(TokenCredential.class);
        return new HubCaller(identity, token == null ? Optional.empty() : Optional.of("Bearer " + token.getToken()));
    }

    public boolean anonymous() {
        return authorization.isEmpty();
    }
}
