package org.modelmarket.platform.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a bearer token quarkus-oidc has already verified from {@link VerifiedTokens}; any other token (new, forged,
 * expired) gets no answer here, and quarkus-oidc's own provider, next in line, verifies it (or refuses it).
 */
@ApplicationScoped
public class VerifiedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Request attribute that tells {@link VerifiedTokenRecorder} the identity came from the cache. */
    static final String FROM_CACHE = "modelmarket.security.verified-token";

    /**
     * Request attribute with the identity {@link VerifiedBearerMechanism} has just found for the request's token, so
     * that the cache is asked once per request.
     */
    static final String FOUND = "modelmarket.security.verified-token.found";

    /** Identity attributes that belong to one request (quarkus-oidc sets both): the current request's go in. */
    static final String ROUTING_CONTEXT = RoutingContext.class.getName();

    static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();

    private final VerifiedTokens tokens;

    VerifiedTokenIdentityProvider(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * Before quarkus-oidc's provider, which has the default priority (1001; higher runs first): a hit saves its
     * verification, a miss costs one map lookup.
     */
    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        SecurityIdentity verified = request.getAttribute(FOUND) instanceof SecurityIdentity found
                ? found
                : tokens.find(request.getToken().getToken());
        if (verified == null) {
            return Uni.createFrom().nullItem();
        }
        request.setAttribute(FROM_CACHE, Boolean.TRUE);
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder(verified);
        if (verified.getAttributes().containsKey(ROUTING_CONTEXT)) {
            identity.addAttribute(ROUTING_CONTEXT, HttpSecurityUtils.getRoutingContextAttribute(request));
        }
        if (verified.getAttributes().containsKey(REQUEST_CONTEXT)) {
            identity.addAttribute(REQUEST_CONTEXT, context);
        }
        return Uni.createFrom().item(identity.build());
    }
}
