package org.modelmarket.platform.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Takes a bearer token that is in {@link VerifiedTokens} before quarkus-oidc's mechanism does. quarkus-oidc's bearer
 * mechanism wraps every token in a new {@link AccessTokenCredential}, whose constructor decodes the JWT's payload into
 * a JSON object (to tell a JWT from an opaque token), on every request and before any identity provider is asked: with
 * the verified-token cache that decoding was the largest part of what a bearer token still cost per request (about 15 %
 * of the gateway's CPU samples on a signed-in read). Here a token is looked up by its exact text first; a hit goes
 * through the identity provider manager with the credential quarkus-oidc made when it verified the token, so the cached
 * identity comes from {@link VerifiedTokenIdentityProvider} and passes the same augmentors as before. Anything else
 * (no header, another scheme, a token not verified yet, forged, expired) gets no answer here and is left to
 * quarkus-oidc's mechanism, which runs next, unchanged.
 */
@ApplicationScoped
public class VerifiedBearerMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer";

    private final VerifiedTokens tokens;

    VerifiedBearerMechanism(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        SecurityIdentity verified = verifiedIdentity(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (verified == null) {
            return Uni.createFrom().nullItem();
        }
        TokenAuthenticationRequest request =
                new TokenAuthenticationRequest(verified.getCredential(AccessTokenCredential.class));
        request.setAttribute(VerifiedTokenIdentityProvider.FOUND, verified);
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    /**
     * The identity quarkus-oidc verified for the bearer token of an {@code Authorization} value (taken as quarkus-oidc
     * takes it, {@link #bearerToken}), while that token has not expired; {@code null} for anything else. It is the
     * identity as quarkus-oidc built it, before augmentors: a caller that uses it without the identity provider
     * manager must know that no augmentor would change it.
     */
    public SecurityIdentity verifiedIdentity(String authorization) {
        String token = bearerToken(authorization);
        SecurityIdentity verified = token == null ? null : tokens.find(token);
        AccessTokenCredential credential =
                verified == null ? null : verified.getCredential(AccessTokenCredential.class);
        return credential != null && token.equals(credential.getToken()) ? verified : null;
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} value as quarkus-oidc takes it ({@code OidcUtils
     * .extractBearerToken}: the scheme up to the first space, matched case-insensitively; the token is the rest as it
     * is), so that a value is answered from the cache only if quarkus-oidc would have looked up the same text.
     */
    static String bearerToken(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space != BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, space)) {
            return null;
        }
        return header.substring(space + 1);
    }

    /** No challenge of its own: quarkus-oidc's (or another mechanism's) is sent. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    /** Before quarkus-oidc's mechanism (the default priority); after a service's own mechanisms of higher priority. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 50;
    }
}
