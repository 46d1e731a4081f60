package org.modelmarket.gateway.token.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.modelmarket.gateway.token.ApiToken;
import org.modelmarket.gateway.token.Scope;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API token as its owner sees it: metadata only, never the secret (except {@code token} in the answer to its
 * creation, the one time it is shown).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(
        UUID id,
        String name,
        String token,
        List<String> scopes,
        List<String> listings,
        String namespace,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt,
        String status) {

    static TokenView of(ApiToken token, String secret, Instant now) {
        String status = token.revokedAt().isPresent() ? "revoked" : token.usableAt(now) ? "active" : "expired";
        return new TokenView(
                token.id(),
                token.name(),
                secret,
                token.scopes().stream().map(Scope::wire).toList(),
                token.listings(),
                token.namespace().orElse(null),
                token.createdAt(),
                token.expiresAt().orElse(null),
                token.lastUsedAt().orElse(null),
                token.revokedAt().orElse(null),
                status);
    }
}
