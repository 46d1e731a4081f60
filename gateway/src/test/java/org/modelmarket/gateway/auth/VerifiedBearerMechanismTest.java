package org.modelmarket.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.platform.security.VerifiedTokens;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The platform's {@code VerifiedBearerMechanism} at the gateway: a bearer token quarkus-oidc has verified is taken
 * from the verified-token cache before quarkus-oidc's mechanism decodes it again. The identity it yields is the one
 * quarkus-oidc built (same user, claims, roles and organisations), the cache is asked once per request, the token is
 * forwarded as it came, and what quarkus-oidc would not take as that token (another scheme, an extra space) is not
 * answered from the cache.
 */
@QuarkusTest
class VerifiedBearerMechanismTest {

    private static final String WHOAMI = "/api/whoami-v2";
    private static final String LISTING = "/api/v1/listings/acme/resnet-50";

    @Inject
    DownstreamStub stub;

    @Inject
    VerifiedTokens tokens;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void aCachedTokenGivesTheIdentityQuarkusOidcBuiltAndIsLookedUpOncePerRequest() {
        String user = "vbm-" + UUID.randomUUID();
        String jwt = TestTokens.bearerOf(user, List.of("acme", "globex"), "buyer", "vendor")
                .substring("Bearer ".length());
        long before = tokens.hits();
        Map<String, Object> verified = whoami("Bearer " + jwt);
        assertThat(tokens.hits())
                .as("the first request is verified by quarkus-oidc")
                .isEqualTo(before);

        Map<String, Object> cached = whoami("Bearer " + jwt);
        Map<String, Object> lowerCaseScheme = whoami("bearer " + jwt);

        assertThat(verified)
                .containsEntry("id", user)
                .containsEntry("name", user)
                .containsEntry("email", user + "@example.test")
                .containsKey("orgs");
        assertThat(verified.get("orgs").toString()).contains("acme", "globex");
        assertThat(cached).isEqualTo(verified);
        assertThat(lowerCaseScheme).isEqualTo(verified);
        assertThat(tokens.hits())
                .as("one cache lookup for each of the two later requests")
                .isEqualTo(before + 2);
    }

    @Test
    void rolesOfACachedTokenStillDecideAndTheTokenIsForwardedAsItCame() {
        String buyer = TestTokens.bearer("vbm-buyer-" + UUID.randomUUID(), "buyer");
        String vendor = TestTokens.bearer("vbm-vendor-" + UUID.randomUUID(), "vendor");
        stub.json("catalog", 200, Listings.RESNET);
        for (int i = 0; i < 2; i++) {
            // whoami's role is "write" for publishers (vendor, admin) and "read" for everyone else.
            assertThat(whoami(vendor).get("auth").toString()).contains("role=write");
            assertThat(whoami(buyer).get("auth").toString()).contains("role=read");
            given().header("Authorization", vendor)
                    .get(LISTING)
                    .then()
                    .statusCode(200)
                    .body("name", equalTo("resnet-50"));
        }
        // (whoami asks catalog for the caller's vendors too, with the same token: only the listing reads counted here)
        assertThat(stub.calls("catalog"))
                .filteredOn(call -> call.uri().startsWith(LISTING))
                .extracting(call -> call.header("Authorization"))
                .containsExactly(vendor, vendor);
    }

    @Test
    void whatQuarkusOidcWouldNotTakeAsTheCachedTokenIsNotAnsweredFromTheCache() {
        String jwt = TestTokens.token("vbm-" + UUID.randomUUID(), "vendor");
        whoami("Bearer " + jwt);
        long hits = tokens.hits();

        // (Trailing spaces are not among them: HTTP drops a header value's surrounding whitespace before either sees
        // it.)
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        for (String header : List.of("Bearer  " + jwt, "Token " + jwt, "Bearer" + jwt, "Bearer " + jwt + "x")) {
            var response = given().header("Authorization", header).get(WHOAMI);
            answers.put(header.replace(jwt, "<jwt>"), response.statusCode() + " " + response.header("X-Error-Message"));
        }
        assertThat(answers)
                .allSatisfy((header, answer) ->
                        assertThat(answer).isEqualTo("401 Invalid credentials in Authorization header"));
        assertThat(tokens.hits()).isEqualTo(hits);
    }

    private static Map<String, Object> whoami(String authorization) {
        return given().header("Authorization", authorization)
                .get(WHOAMI)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
    }
}
