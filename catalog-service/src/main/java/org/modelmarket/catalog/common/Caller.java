package org.modelmarket.catalog.common;

import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, as the service layer sees it: the token subject and realm roles, free of any HTTP or
 * security-framework type so that services stay testable and callable from other entry points (Kafka, gRPC).
 *
 * @param subject the token's {@code sub}, or {@code null} for an anonymous caller
 * @param roles the caller's realm roles
 */
public record Caller(String subject, Set<String> roles) {

    public static final Caller ANONYMOUS = new Caller(null, Set.of());

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** Builds the caller from a resolved Quarkus identity; the OIDC principal name is the token subject. */
    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        return new Caller(identity.getPrincipal().getName(), identity.getRoles());
    }

    public boolean isAnonymous() {
        return subject == null;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
