package org.modelmarket.gateway.token.rest;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.modelmarket.gateway.token.TokenRequests;
import org.modelmarket.gateway.token.TokenService;
import org.modelmarket.gateway.token.auth.ApiTokenIdentity;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/tokens}: the signed-in owner creates, lists and revokes their API tokens. Only a Keycloak token may
 * call it: an API token cannot mint, see or revoke tokens.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "tokens")
public class TokenResource {

    private final TokenService tokens;
    private final SecurityIdentity identity;

    public TokenResource(TokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API token (hf_...); the secret is in this answer only")
    public Uni<Response> create(NewToken request) {
        if (request == null) {
            throw ProblemException.invalid("body", "a JSON object with name and scopes is required");
        }
        Instant now = Instant.now();
        var token = TokenRequests.validate(
                owner(),
                request.name(),
                request.scopes(),
                request.expiresAt(),
                request.listings(),
                request.namespace(),
                now);
        return tokens.create(token)
                .map(created -> Response.created(URI.create("/api/v1/tokens/" + token.id()))
                        .entity(TokenView.of(created.token(), created.secret(), now))
                        .build());
    }

    @GET
    @Operation(summary = "The caller's API tokens (metadata only, newest first)")
    public Uni<List<TokenView>> list() {
        String owner = owner().subject();
        Instant now = Instant.now();
        return tokens.list(owner)
                .map(all -> all.stream().map(t -> TokenView.of(t, null, now)).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's API tokens (metadata only)")
    public Uni<TokenView> get(@PathParam("id") String id) {
        UUID tokenId = id(id);
        String owner = owner().subject();
        Instant now = Instant.now();
        return tokens.list(owner)
                .map(all -> all.stream()
                        .filter(t -> t.id().equals(tokenId))
                        .findFirst()
                        .map(t -> TokenView.of(t, null, now))
                        .orElseThrow(() -> notFound(id)));
    }

    @DELETE
    @Path("/{id}")
    @Operation(
            summary =
                    "Revoke one of the caller's API tokens (at once on this replica, within the cache time elsewhere)")
    public Uni<Response> revoke(@PathParam("id") String id) {
        UUID tokenId = id(id);
        return tokens.revoke(owner().subject(), tokenId)
                .map(revoked -> Response.noContent().build());
    }

    private TokenRequests.Owner owner() {
        if (ApiTokenIdentity.of(identity).isPresent()) {
            throw new ProblemException(
                    StandardProblem.FORBIDDEN,
                    "An API token cannot create, list or revoke API tokens; sign in (a Keycloak token) to manage them.");
        }
        Caller caller = Caller.of(identity);
        Set<String> roles = new LinkedHashSet<>(identity.getRoles());
        roles.retainAll(Roles.ALL);
        JsonWebToken jwt = identity.getPrincipal() instanceof JsonWebToken t ? t : null;
        return new TokenRequests.Owner(
                caller.subject(), roles, caller.namespaces(), claim(jwt, "preferred_username"), claim(jwt, "email"));
    }

    private static Optional<String> claim(JsonWebToken jwt, String name) {
        Object value = jwt == null ? null : jwt.getClaim(name);
        // JSON-P string values print with their quotes.
        return Optional.ofNullable(value)
                .map(v -> v.toString().replace("\"", ""))
                .filter(v -> !v.isBlank());
    }

    private static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(StandardProblem.NOT_FOUND, "You have no API token " + id + ".");
    }
}
