package org.modelmarket.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The mechanism takes from {@code Authorization} exactly the text quarkus-oidc would take ({@code OidcUtils
 * .extractBearerToken}), so that the cache is asked only about the token quarkus-oidc would verify; a token in the
 * cache goes to the identity provider manager with the identity found and the credential quarkus-oidc made, any other
 * is left to the next mechanism (quarkus-oidc's) without asking the manager. (The gateway's
 * {@code VerifiedBearerMechanismTest} checks the whole path with real tokens.)
 */
class VerifiedBearerMechanismTest {

    private static final String JWT = "header.payload.signature";

    private final List<AuthenticationRequest> asked = new ArrayList<>();

    /** A manager that records what it is asked and answers the identity the request carries. */
    private final IdentityProviderManager manager = new IdentityProviderManager() {
        @Override
        public Uni<SecurityIdentity> authenticate(AuthenticationRequest request) {
            asked.add(request);
            return Uni.createFrom().item((SecurityIdentity) request.getAttribute(VerifiedTokenIdentityProvider.FOUND));
        }

        @Override
        public SecurityIdentity authenticateBlocking(AuthenticationRequest request) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void aVerifiedTokenGoesToTheProviderManagerWithItsIdentityAndCredential() {
        VerifiedTokens tokens = tokens();
        AccessTokenCredential credential = new AccessTokenCredential(JWT);
        SecurityIdentity alice = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("alice"))
                .addCredential(credential)
                .addRole("buyer")
                .build();
        tokens.remember(JWT, alice, System.currentTimeMillis() / 1000 + 60);
        RoutingContext context = request("Bearer " + JWT);

        SecurityIdentity identity = new VerifiedBearerMechanism(tokens)
                .authenticate(context, manager)
                .await()
                .indefinitely();

        assertThat(identity).isSameAs(alice);
        assertThat(asked).singleElement().isInstanceOfSatisfying(TokenAuthenticationRequest.class, request -> {
            assertThat((Object) request.getToken()).isSameAs(credential);
            assertThat((Object) request.getAttribute(VerifiedTokenIdentityProvider.FOUND))
                    .isSameAs(alice);
            assertThat((Object) HttpSecurityUtils.getRoutingContextAttribute(request))
                    .isSameAs(context);
        });
        assertThat(tokens.hits()).as("one lookup").isEqualTo(1);
    }

    @Test
    void anyOtherTokenIsLeftToTheNextMechanism() {
        VerifiedTokens tokens = tokens();
        VerifiedBearerMechanism mechanism = new VerifiedBearerMechanism(tokens);
        // Cached without a quarkus-oidc credential (not what VerifiedTokenRecorder stores): not answered either.
        tokens.remember(
                "no.credential.token",
                QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("bob"))
                        .build(),
                System.currentTimeMillis() / 1000 + 60);

        for (String header :
                new String[] {null, "Bearer " + JWT, "Basic YWxpY2U6c2VjcmV0", "Bearer no.credential.token"}) {
            assertThat(mechanism.authenticate(request(header), manager).await().indefinitely())
                    .as(header)
                    .isNull();
        }
        assertThat(asked).isEmpty();
    }

    private VerifiedTokens tokens() {
        return new VerifiedTokens(FixedTokenCacheConfig.of(true), new SimpleMeterRegistry());
    }

    /** A routing context whose request has only this {@code Authorization} value (null: none). */
    private static RoutingContext request(String authorization) {
        HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(
                HttpServerRequest.class.getClassLoader(),
                new Class<?>[] {HttpServerRequest.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getHeader") && "Authorization".equalsIgnoreCase(args[0].toString())) {
                        return authorization;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (RoutingContext) Proxy.newProxyInstance(
                RoutingContext.class.getClassLoader(), new Class<?>[] {RoutingContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("request")) {
                        return request;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theTokenIsEverythingAfterTheFirstSpaceOfABearerValue() {
        assertThat(VerifiedBearerMechanism.bearerToken("Bearer a.b.c")).isEqualTo("a.b.c");
        assertThat(VerifiedBearerMechanism.bearerToken("bearer a.b.c")).isEqualTo("a.b.c");
        assertThat(VerifiedBearerMechanism.bearerToken("BEARER a.b.c")).isEqualTo("a.b.c");
        // Nothing is trimmed: quarkus-oidc would look at " a.b.c" and "a.b.c ", which no verified token equals.
        assertThat(VerifiedBearerMechanism.bearerToken("Bearer  a.b.c")).isEqualTo(" a.b.c");
        assertThat(VerifiedBearerMechanism.bearerToken("Bearer a.b.c ")).isEqualTo("a.b.c ");
    }

    @Test
    void otherSchemesAndMalformedValuesHaveNoToken() {
        assertThat(VerifiedBearerMechanism.bearerToken(null)).isNull();
        assertThat(VerifiedBearerMechanism.bearerToken("")).isNull();
        assertThat(VerifiedBearerMechanism.bearerToken("Bearer")).isNull();
        assertThat(VerifiedBearerMechanism.bearerToken("Bearera.b.c")).isNull();
        assertThat(VerifiedBearerMechanism.bearerToken("Basic YWxpY2U6c2VjcmV0"))
                .isNull();
        assertThat(VerifiedBearerMechanism.bearerToken("DPoP a.b.c")).isNull();
        assertThat(VerifiedBearerMechanism.bearerToken("Bearers a.b.c")).isNull();
        assertThat(VerifiedBearerMechanism.bearerToken(" Bearer a.b.c")).isNull();
    }
}
