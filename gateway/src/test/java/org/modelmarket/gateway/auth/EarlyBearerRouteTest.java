package org.modelmarket.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.route.proxy.ProxyRoutes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.platform.security.VerifiedTokens;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A bearer token quarkus-oidc has verified is served on a pass-through route before Quarkus' authentication chain
 * ({@code ProxyRoutes}' early route), with the identity quarkus-oidc built for it: it is counted as that subject in the
 * authenticated tier, forwarded as it came, and anything that is not exactly that token (altered claims, another
 * signature) is still verified by quarkus-oidc and refused. (Forged, foreign-issuer and expired tokens after a
 * genuine one: {@code VerifiedTokenCacheTest}; a revoked API token: {@code ApiTokenAuthTest}.)
 */
@QuarkusTest
class EarlyBearerRouteTest {

    private static final String LISTING = "/api/v1/listings/acme/resnet-50";

    @Inject
    DownstreamStub stub;

    @Inject
    VerifiedTokens tokens;

    @Inject
    ProxyRoutes routes;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void aVerifiedTokenIsServedEarlyAsItsOwnSubjectInTheAuthenticatedTier() {
        assertThat(routes.servesVerifiedTokensEarly())
                .as("no augmentor besides the cache's recorder: verified tokens take the early route")
                .isTrue();
        String alice = TestTokens.bearer("ebr-alice-" + UUID.randomUUID(), "buyer");
        String bob = TestTokens.bearer("ebr-bob-" + UUID.randomUUID(), "buyer");
        stub.json("catalog", 200, Listings.RESNET);
        String anonymousPolicy = read(null).header("RateLimit-Policy");

        Response verified = read(alice);
        long hits = tokens.hits();
        Response early = read(alice);
        Response again = read(alice);
        Response other = read(bob);

        assertThat(tokens.hits())
                .as("the two later requests of alice were found verified")
                .isEqualTo(hits + 2);
        assertThat(early.header("RateLimit-Policy"))
                .isEqualTo(verified.header("RateLimit-Policy"))
                .isNotEqualTo(anonymousPolicy);
        assertThat(remaining(early)).isEqualTo(remaining(verified) - 1);
        assertThat(remaining(again)).isEqualTo(remaining(verified) - 2);
        assertThat(remaining(other)).as("bob has a count of his own").isEqualTo(remaining(verified));
        assertThat(stub.calls("catalog"))
                .extracting(call -> call.header("Authorization"))
                .containsExactly(null, alice, alice, alice, bob);
    }

    @Test
    void aTokenWithAlteredClaimsIsRefusedAfterTheGenuineOneWasServedEarly() {
        String genuine = TestTokens.token("ebr-carol-" + UUID.randomUUID(), "buyer");
        stub.json("catalog", 200, Listings.RESNET);
        read("Bearer " + genuine);
        read("Bearer " + genuine);
        String[] parts = genuine.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"buyer\"", "\"admin\"");
        assertThat(claims).contains("\"admin\"");
        String altered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        String truncated = genuine.substring(0, genuine.length() - 2);

        for (String token : new String[] {altered, truncated}) {
            given().header("Authorization", "Bearer " + token)
                    .get(LISTING)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("The bearer token is invalid or expired."));
        }
        assertThat(stub.calls("catalog"))
                .as("only the genuine token's reads reached catalog")
                .hasSize(2);
    }

    private static Response read(String authorization) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Response response = request.get(LISTING);
        response.then().statusCode(200).body("name", equalTo("resnet-50"));
        return response;
    }

    /** The {@code r} of a {@code RateLimit: "api";r=299;t=3600} header. */
    private static long remaining(Response response) {
        String state = response.header("RateLimit");
        int start = state.indexOf(";r=") + 3;
        return Long.parseLong(state.substring(start, state.indexOf(';', start)));
    }
}
