package org.modelmarket.catalog.common;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/** Resolves the current caller without blocking (authentication is lazy: {@code quarkus.http.auth.proactive=false}). */
@ApplicationScoped
public class CallerContext {

    private final CurrentIdentityAssociation identity;

    public CallerContext(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    public Uni<Caller> caller() {
        return identity.getDeferredIdentity().map(Caller::of);
    }
}
