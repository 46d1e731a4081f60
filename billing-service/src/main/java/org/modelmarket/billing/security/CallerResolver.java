package org.modelmarket.billing.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Resolves the current caller without blocking. Authentication is lazy (proactive auth is off), so endpoints read the
 * deferred identity instead of injecting {@code SecurityIdentity} on the event loop.
 */
@ApplicationScoped
public class CallerResolver {

    private final CurrentIdentityAssociation identities;

    public CallerResolver(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /** The current caller; fails with an authentication exception (401) when a bad token was sent. */
    public Uni<Caller> current() {
        return identities.getDeferredIdentity().map(Caller::of);
    }
}
