package org.modelmarket.gateway.hub.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.HubJson;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.token.ApiToken;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.TokenService;
import org.modelmarket.gateway.token.auth.ApiTokenIdentity;
import org.modelmarket.platform.security.Roles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * {@code GET /api/whoami-v2} (HF-PROTOCOL §1.6): who the bearer token belongs to, in the Hub's shape; the vendors
 * (namespaces) the user is a member of in catalog are the user's organisations. A missing or invalid token is a 401.
 */
@Path("/api/whoami-v2")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "hugging face hub")
public class WhoAmIResource {

    private static final Logger LOG = Logger.getLogger(WhoAmIResource.class);

    /** The caller's vendors in catalog: the largest page catalog gives (its Queries.MAX_PAGE_SIZE). */
    static final String MEMBERSHIPS = "/api/v1/vendors?member=me&size=100";

    private final HubServices services;
    private final ObjectMapper json;
    private final Duration orgsTimeout;

    public WhoAmIResource(
            HubServices services,
            ObjectMapper json,
            @ConfigProperty(name = "modelmarket.gateway.hub.whoami-orgs-timeout", defaultValue = "2s")
                    Duration orgsTimeout) {
        this.services = services;
        this.json = json;
        this.orgsTimeout = orgsTimeout;
    }

    @GET
    @Operation(summary = "The token's user and organisations (Hub format)")
    public Uni<ObjectNode> whoami() {
        return services.caller().chain(caller -> {
            if (caller.anonymous()) {
                throw HubError.invalidCredentials();
            }
            return orgs(caller).map(orgs -> body(caller, orgs));
        });
    }

    /**
     * The caller's organisations: the vendors catalog says they are a member of (one page of up to 100, by
     * namespace), for an API token only those within its restriction. Catalog down, slow or refusing: the
     * {@code namespaces} claim of the token instead (empty for a Keycloak token of the demo realm), so that whoami,
     * which every Hub client calls first, never fails because of the organisations.
     */
    private Uni<ArrayNode> orgs(HubCaller caller) {
        Optional<ApiToken> apiToken = ApiTokenIdentity.of(caller.identity()).map(TokenService.Authenticated::token);
        return services.get("catalog", MEMBERSHIPS, caller)
                .ifNoItem()
                .after(orgsTimeout)
                .fail()
                .map(reply -> {
                    if (!reply.ok()
                            || reply.body() == null
                            || !reply.body().path("items").isArray()) {
                        LOG.debugf(
                                "whoami: catalog answered %d for the memberships, orgs from the token", reply.status());
                        return fromClaim(caller);
                    }
                    ArrayNode orgs = json.createArrayNode();
                    for (JsonNode vendor : reply.body().path("items")) {
                        String namespace = vendor.path("namespace").asText("");
                        if (namespace.isEmpty()
                                || !apiToken.map(token -> token.reaches(namespace))
                                        .orElse(true)) {
                            continue;
                        }
                        orgs.addObject()
                                .put("type", "org")
                                .put("id", namespace)
                                .put("name", namespace)
                                .put("fullname", vendor.path("displayName").asText(namespace))
                                // every member may edit the profile and the members and publish: the Hub's admin
                                .put("roleInOrg", "admin")
                                // subscriptions belong to users, never to a vendor
                                .put("canPay", false)
                                .putNull("periodEnd");
                    }
                    return orgs;
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.debugf("whoami: no memberships from catalog (%s), orgs from the token", failure.toString());
                    return fromClaim(caller);
                });
    }

    /** The organisations the token's {@code namespaces} claim names (an API token's forwarded JWT: narrowed). */
    private ArrayNode fromClaim(HubCaller caller) {
        ArrayNode orgs = json.createArrayNode();
        JsonWebToken jwt = caller.identity().getPrincipal() instanceof JsonWebToken token ? token : null;
        Object namespaces = jwt == null ? null : jwt.getClaim("namespaces");
        if (namespaces instanceof Iterable<?> values) {
            for (Object ns : values) {
                String org = String.valueOf(ns).replace("\"", "");
                orgs.addObject().put("type", "org").put("id", org).put("name", org);
            }
        }
        return orgs;
    }

    private ObjectNode body(HubCaller caller, ArrayNode orgs) {
        var identity = caller.identity();
        JsonWebToken jwt = identity.getPrincipal() instanceof JsonWebToken token ? token : null;
        String subject = jwt != null && jwt.getSubject() != null
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        String name = claim(jwt, "preferred_username", identity.getPrincipal().getName());
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
        body.set("orgs", orgs);
        boolean publisher = identity.hasRole(Roles.VENDOR) || identity.hasRole(Roles.ADMIN);
        Set<String> roles = identity.getRoles();
        ObjectNode token = body.putObject("auth").put("type", "access_token").putObject("accessToken");
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
