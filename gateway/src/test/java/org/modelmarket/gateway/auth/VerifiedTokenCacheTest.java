package org.modelmarket.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.gateway.token.ApiTokens;
import org.modelmarket.platform.security.VerifiedTokens;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The platform's cache of verified bearer tokens at the gateway: a Keycloak token's next requests skip quarkus-oidc's
 * verification and are forwarded with that very token; a forged token, one of another issuer, an expired one, and a
 * cached one from its {@code exp} on are refused at the edge (no service call) whatever the cache holds; API tokens
 * never go through it (their own lookup decides, so a revoked one is refused as before: {@code ApiTokenAuthTest}).
 */
@QuarkusTest
class VerifiedTokenCacheTest {

    private static final String LISTING = "/api/v1/listings/acme/resnet-50";
    private static final String SUBMIT = LISTING + "/submit";

    @Inject
    DownstreamStub stub;

    @Inject
    VerifiedTokens tokens;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void aTokensNextRequestsAreForwardedFromTheCacheWithThatToken() {
        String bearer = TestTokens.bearer("vtc-" + UUID.randomUUID(), "vendor");
        stub.json("catalog", 200, Listings.RESNET);
        given().header("Authorization", bearer).post(SUBMIT).then().statusCode(200);
        long hits = tokens.hits();

        given().header("Authorization", bearer).post(SUBMIT).then().statusCode(200);
        given().header("Authorization", bearer).get(LISTING).then().statusCode(200);

        assertThat(tokens.hits()).isGreaterThanOrEqualTo(hits + 2);
        assertThat(stub.calls("catalog"))
                .extracting(call -> call.header("Authorization"))
                .containsExactly(bearer, bearer, bearer);
    }

    @Test
    void forgedForeignAndExpiredTokensAreRefusedAtTheEdgeThoughTheGenuineOneIsCached() throws Exception {
        String genuine = TestTokens.token("vtc-dave", "vendor");
        stub.json("catalog", 200, Listings.RESNET);
        given().header("Authorization", "Bearer " + genuine).post(SUBMIT).then().statusCode(200);
        given().header("Authorization", "Bearer " + genuine).post(SUBMIT).then().statusCode(200);
        String[] parts = genuine.split("\\.");

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(TestTokens.otherKeys().getPrivate());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        refused(parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign()));
        refused(TestTokens.tokenOfIssuer("https://elsewhere.test/realms/modelmarket", "vtc-dave", "vendor", "admin"));
        refused(TestTokens.expiredBearer("vtc-dave", "vendor").substring("Bearer ".length()));

        assertThat(stub.calls("catalog"))
                .as("only the genuine token's calls reached catalog")
                .hasSize(2);
        given().header("Authorization", "Bearer " + genuine).post(SUBMIT).then().statusCode(200);
    }

    @Test
    void aCachedTokenIsRefusedFromItsExpiryOn() {
        long exp = System.currentTimeMillis() / 1000 + 3;
        String bearer = "Bearer " + TestTokens.tokenExpiringAt(exp, "vtc-erin", "vendor");
        stub.json("catalog", 200, Listings.RESNET);
        long hits = tokens.hits();
        given().header("Authorization", bearer).post(SUBMIT).then().statusCode(200);

        List<String> grantedLate = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    long started = System.currentTimeMillis();
                    Response response = given().header("Authorization", bearer).post(SUBMIT);
                    if (response.statusCode() == 200 && started >= exp * 1000) {
                        grantedLate.add("granted at " + started + " ms, exp " + exp + " s");
                    }
                    return response.statusCode() == 401;
                });
        assertThat(grantedLate).isEmpty();
        assertThat(tokens.hits())
                .as("requests before the expiry were answered from the cache")
                .isGreaterThan(hits);
        int forwarded = stub.calls("catalog").size();
        given().header("Authorization", bearer).post(SUBMIT).then().statusCode(401);
        assertThat(stub.calls("catalog")).hasSize(forwarded);
    }

    @Test
    void apiTokensNeverGoThroughTheCache() {
        String owner = TestTokens.bearerOf("vtc-" + UUID.randomUUID(), List.of("acme"), "buyer", "vendor");
        String api = "Bearer " + ApiTokens.create(owner, "{\"name\":\"script\",\"scopes\":[\"read\"]}");
        stub.json("catalog", 200, Listings.RESNET);
        long hits = tokens.hits();

        given().header("Authorization", api).get(LISTING).then().statusCode(200);
        given().header("Authorization", api).get(LISTING).then().statusCode(200);

        assertThat(tokens.hits()).isEqualTo(hits);
    }

    private void refused(String jwt) {
        given().header("Authorization", "Bearer " + jwt)
                .post(SUBMIT)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }
}
