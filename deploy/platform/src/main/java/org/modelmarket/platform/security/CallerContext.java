package org.modelmarket.platform.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * The current request's {@link Caller}, from its {@code SecurityIdentity}. {@link #caller()} never blocks: with lazy
 * authentication ({@code quarkus.http.auth.proactive=false}, which every service sets so that 401/403 go through the
 * problem mappers) the identity may not be resolved yet, and this resolves it on demand.
 */
@ApplicationScoped
public class CallerContext {

    private final CurrentIdentityAssociation identity;

    public CallerContext(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    /** The caller of the current request; {@link Caller#ANONYMOUS} without a token. */
    public Uni<Caller> caller() {
        return identity.getDeferredIdentity().map(Caller::of);
    }

    /**
     * The caller of the current request when its identity is already resolved (an endpoint behind
     * {@code @Authenticated}/{@code @RolesAllowed}, or a blocking one); prefer {@link #caller()} elsewhere.
     */
    public Caller current() {
        return Caller.of(identity.getIdentity());
    }
}
