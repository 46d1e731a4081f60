package org.modelmarket.gateway.token.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.token.Secrets;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Takes {@code Authorization: Bearer hf_...} (REST, the Hub API and gRPC share the HTTP server) and has
 * {@link ApiTokenIdentityProvider} authenticate it; any other bearer value is left to quarkus-oidc, which runs after
 * this mechanism (a higher priority runs first).
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String secret = secret(context);
        if (secret == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identityProviderManager.authenticate(new ApiTokenRequest(secret));
    }

    /** The {@code hf_} secret of the request's bearer token, or null. */
    public static String secret(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header == null
                || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        // Every request with a Keycloak JWT passes here (and through ScopeGuard): its prefix is checked in place
        // rather than on a stripped copy of the whole token.
        int start = BEARER.length();
        while (start < header.length() && Character.isWhitespace(header.charAt(start))) {
            start++;
        }
        if (!header.startsWith(Secrets.PREFIX, start)) {
            return null;
        }
        String value = header.substring(start).strip();
        return Secrets.looksLike(value) ? value : null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public int getPriority() {
        // Before quarkus-oidc's mechanism (DEFAULT_PRIORITY), which would reject hf_ values as malformed JWTs.
        return DEFAULT_PRIORITY + 100;
    }
}
