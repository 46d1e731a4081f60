package org.modelmarket.gateway.token.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.modelmarket.gateway.token.ForwardedJwt;
import org.modelmarket.gateway.token.TokenService;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;

/**
 * Authenticates an {@code hf_...} secret: the identity's principal is the JWT the gateway forwards for it (subject =
 * the owner, the narrowed roles and namespaces), its credential that JWT, so everything that forwards "the caller's
 * token" (pass-through routes, typed clients, the Hub API) forwards the gateway's JWT, never the secret. The token
 * itself is the {@link ApiTokenIdentity#ATTRIBUTE} attribute, for the scope checks.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {

    private final TokenService tokens;

    ApiTokenIdentityProvider(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return tokens.authenticate(request.secret()).map(found -> {
            TokenService.Authenticated authenticated =
                    found.orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired API token"));
            String jwt = authenticated.forwardedJwt();
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new DefaultJWTCallerPrincipal(jwt, "JWT", claims(jwt)))
                    .addCredential(new TokenCredential(jwt, "bearer"))
                    .addRoles(ForwardedJwt.roles(authenticated.token()))
                    .addAttribute(ApiTokenIdentity.ATTRIBUTE, authenticated)
                    .build();
        });
    }

    /** The claims of a JWT this gateway has just signed (not verified again). */
    private static JwtClaims claims(String jwt) {
        try {
            return new JwtConsumerBuilder()
                    .setSkipSignatureVerification()
                    .setSkipAllValidators()
                    .build()
                    .processToClaims(jwt);
        } catch (InvalidJwtException e) {
            throw new IllegalStateException("the gateway's own JWT does not parse", e);
        }
    }
}
