package org.modelmarket.gateway.token.rest;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code POST /api/v1/tokens}.
 *
 * @param name      a label for the owner (1-100 characters); the Hub's whoami shows it as the token's displayName
 * @param scopes    one or more of {@code read, download, publish, meter, admin}
 * @param expiresAt optional; must lie in the future
 * @param listings  optional: restrict the token to these listings ({@code ns/name})
 * @param namespace optional: restrict the token to this namespace
 */
public record NewToken(String name, List<String> scopes, Instant expiresAt, List<String> listings, String namespace) {}
