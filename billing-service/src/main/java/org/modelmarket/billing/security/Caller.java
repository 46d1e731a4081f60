package org.modelmarket.billing.security;

import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, reduced to what the access rules need: the token subject (Keycloak {@code sub}) and realm roles.
 *
 * @param subject empty for anonymous callers
 */
public record Caller(Optional<String> subject, Set<String> roles) {

    /** Realm role of marketplace operators. */
    public static final String ADMIN = "admin";

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** The anonymous caller. */
    public static Caller anonymous() {
        return new Caller(Optional.empty(), Set.of());
    }

    /** Reads the subject from the bearer token, not from the principal name (which may be a username). */
    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return anonymous();
        }
        String subject = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        return new Caller(Optional.of(subject), identity.getRoles());
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
