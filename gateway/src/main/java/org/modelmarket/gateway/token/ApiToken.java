package org.modelmarket.gateway.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One stored API token (never its secret): its owner as the owner's Keycloak token described them at creation, its
 * scopes and restriction, and its life.
 *
 * @param listings  {@code ns/name} of the listings it is restricted to; empty: not restricted to listings
 * @param namespace the namespace it is restricted to, if any
 */
public record ApiToken(
        UUID id,
        String ownerSubject,
        String name,
        Set<Scope> scopes,
        List<String> listings,
        Optional<String> namespace,
        Set<String> ownerRoles,
        Set<String> ownerNamespaces,
        Optional<String> ownerName,
        Optional<String> ownerEmail,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<Instant> lastUsedAt,
        Optional<Instant> revokedAt) {

    /** Whether it authenticates a request at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }

    /** Whether its scopes grant {@code needed} (see {@link Scope#implies}); {@code read} every token has. */
    public boolean grants(Scope needed) {
        return needed == Scope.READ || scopes.stream().anyMatch(scope -> scope.implies(needed));
    }

    /** Whether it is restricted to some listings or a namespace. */
    public boolean restricted() {
        return !listings.isEmpty() || namespace.isPresent();
    }

    /**
     * Whether {@code ownerNamespace}, one of the owner's vendor namespaces, is within the token's reach: not another
     * namespace than a namespace restriction's, and holding at least one of a listing restriction's listings. The
     * namespaces the token acts for (the forwarded JWT's {@code namespaces} claim, whoami's organisations).
     */
    public boolean reaches(String ownerNamespace) {
        boolean inListings =
                listings.isEmpty() || listings.stream().anyMatch(listing -> listing.startsWith(ownerNamespace + "/"));
        return namespace.map(ownerNamespace::equals).orElse(true) && inListings;
    }

    /**
     * Whether the restriction admits a target: a listing ({@code name} present), a namespace ({@code name} empty).
     * An unrestricted token admits everything.
     */
    public boolean admits(String targetNamespace, Optional<String> targetName) {
        if (namespace.isPresent() && !namespace.get().equals(targetNamespace)) {
            return false;
        }
        if (listings.isEmpty()) {
            return true;
        }
        return targetName
                .map(name -> listings.contains(targetNamespace + "/" + name))
                .orElse(false);
    }
}
