package org.modelmarket.platform.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, as a service layer sees it: free of HTTP and security-framework types, so services stay testable
 * and callable from other entry points (Kafka, gRPC).
 *
 * @param subject the token's {@code sub}, or {@code null} for an anonymous caller
 * @param roles the caller's realm roles (see {@link Roles})
 * @param namespaces the vendor namespaces the caller acts for, where the token says so (claim {@value #NAMESPACES_CLAIM});
 *        empty when unknown, in which case the owning service decides from its own data
 */
public record Caller(String subject, Set<String> roles, Set<String> namespaces) {

    /** Token claim listing the vendor namespaces a caller belongs to, when the identity provider issues it. */
    public static final String NAMESPACES_CLAIM = "namespaces";

    public static final Caller ANONYMOUS = new Caller(null, Set.of(), Set.of());

    public Caller {
        roles = Set.copyOf(roles);
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
    }

    /** A caller whose vendor namespaces are not known from the token. */
    public Caller(String subject, Set<String> roles) {
        this(subject, roles, Set.of());
    }

    /**
     * The caller of a resolved Quarkus identity: the principal name is the token subject (services set
     * {@code quarkus.oidc.token.principal-claim=sub}), roles are the identity's roles.
     */
    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        Set<String> namespaces = new LinkedHashSet<>();
        if (identity.getPrincipal() instanceof JsonWebToken token && token.containsClaim(NAMESPACES_CLAIM)) {
            Object claim = token.getClaim(NAMESPACES_CLAIM);
            if (claim instanceof Collection<?> values) {
                values.forEach(value -> namespaces.add(unquote(String.valueOf(value))));
            } else if (claim != null) {
                namespaces.add(unquote(String.valueOf(claim)));
            }
        }
        return new Caller(identity.getPrincipal().getName(), identity.getRoles(), namespaces);
    }

    public boolean isAnonymous() {
        return subject == null;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return hasRole(Roles.ADMIN);
    }

    /** Whether the token names {@code namespace} among the caller's vendor namespaces. */
    public boolean actsFor(String namespace) {
        return namespaces.contains(namespace);
    }

    // JSON-P string values print with their quotes.
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
