package org.modelmarket.gateway.hub.rest;

import java.time.Instant;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.HubJson;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.auth.ApiTokenIdentity;
import org.modelmarket.platform.security.Roles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * {@code GET /api/whoami-v2} (HF-PROTOCOL §1.6): who the bearer token belongs to, in the Hub's shape; the vendor
 * namespaces of the token are the user's organisations. A missing or invalid token is a 401.
 */
@Path("/api/whoami-v2")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "hugging face hub")
public class WhoAmIResource {

    private final HubServices services;
    private final ObjectMapper json;

    public WhoAmIResource(HubServices services, ObjectMapper json) {
        this.services = services;
        this.json = json;
    }

    @GET
    @Operation(summary = "The token's user and organisations (Hub format)")
    public Uni<ObjectNode> whoami() {
        return services.caller().map(caller -> {
            if (caller.anonymous()) {
                throw HubError.invalidCredentials();
            }
            var identity = caller.identity();
            JsonWebToken jwt = identity.getPrincipal() instanceof JsonWebToken token ? token : null;
            String subject = jwt != null && jwt.getSubject() != null
                    ? jwt.getSubject()
                    : identity.getPrincipal().getName();
            String name =
                    claim(jwt, "preferred_username", identity.getPrincipal().getName());
            ObjectNode body = json.createObjectNode()
                    .put("type", "user")
                    .put("id", subject)
                    .put("name", name)
                    .put("fullname", claim(jwt, "name", name));
            String email = claim(jwt, "email", null);
            if (email != null) {
                body.put("email", email);
                body.put("emailVerified", Boolean.parseBoolean(claim(jwt, "email_verified", "false")));
            }
            body.put("isPro", false);
            body.put("canPay", true);
            ArrayNode orgs = body.putArray("orgs");
            Object namespaces = jwt == null ? null : jwt.getClaim("namespaces");
            if (namespaces instanceof Iterable<?> values) {
                for (Object ns : values) {
                    String org = String.valueOf(ns).replace("\"", "");
                    orgs.addObject().put("type", "org").put("id", org).put("name", org);
                }
            }
            boolean publisher = identity.hasRole(Roles.VENDOR) || identity.hasRole(Roles.ADMIN);
            Set<String> roles = identity.getRoles();
            ObjectNode token =
                    body.putObject("auth").put("type", "access_token").putObject("accessToken");
            var apiToken = ApiTokenIdentity.of(identity);
            if (apiToken.isPresent()) {
                // An hf_ API token: its own name and creation time; write means it may publish.
                var stored = apiToken.get().token();
                token.put("displayName", stored.name());
                token.put("role", stored.grants(Scope.PUBLISH) ? "write" : "read");
                token.put("createdAt", HubJson.date(stored.createdAt()));
            } else {
                token.put("displayName", claim(jwt, "azp", "modelmarket"));
                token.put("role", publisher ? "write" : "read");
                long issued = jwt == null ? 0 : jwt.getIssuedAtTime();
                token.put("createdAt", HubJson.date(issued > 0 ? Instant.ofEpochSecond(issued) : Instant.now()));
            }
            body.putArray("roles")
                    .addAll(roles.stream()
                            .sorted()
                            .map(json.getNodeFactory()::textNode)
                            .toList());
            return body;
        });
    }

    private static String claim(JsonWebToken jwt, String claim, String fallback) {
        if (jwt == null || !jwt.containsClaim(claim)) {
            return fallback;
        }
        Object value = jwt.getClaim(claim);
        String text = String.valueOf(value).replace("\"", "");
        return text.isBlank() ? fallback : text;
    }

    /** A bad token on a Hub route answers as the Hub does (the platform's mapper would answer problem+json). */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public jakarta.ws.rs.core.Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
        return HubErrorMapper.toResponse(org.modelmarket.gateway.hub.HubError.invalidCredentials());
    }
}
