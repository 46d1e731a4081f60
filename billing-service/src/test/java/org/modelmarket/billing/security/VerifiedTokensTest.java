package org.modelmarket.billing.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.billing.support.Billing;
import org.modelmarket.platform.security.VerifiedTokens;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * The cache of verified bearer tokens on the real service: a token's second request is answered from the cache as
 * the same caller, and a forged, altered, expired or foreign-key token is refused whatever the cache holds.
 */
@QuarkusTest
class VerifiedTokensTest {

    private static final String NS = "vt-acme";
    private static final String PROBLEM = "application/problem+json";

    private static boolean published;

    @Inject
    VerifiedTokens tokens;

    /** Once per class; not {@code @BeforeAll}, which runs before RestAssured knows the test port. */
    @BeforeEach
    void publishListing() {
        if (!published) {
            Billing.listing(NS, "free-model", "free", "vt-vendor");
            published = true;
        }
    }

    @Test
    void aTokensNextRequestsAreAnsweredFromTheCacheAsTheSameCaller() {
        String carol = TestTokens.bearer("vt-carol", "buyer");
        decision(carol).then().statusCode(200).body("subject", equalTo("vt-carol"));
        long hits = tokens.hits();

        decision(carol)
                .then()
                .statusCode(200)
                .body("subject", equalTo("vt-carol"))
                .body("granted", equalTo(true));
        decision(carol).then().statusCode(200).body("subject", equalTo("vt-carol"));

        assertThat(tokens.hits()).isGreaterThanOrEqualTo(hits + 2);
        // The roles come back with the cached identity: an admin-only endpoint still refuses this buyer.
        given().header("Authorization", carol)
                .get("/api/v1/statements/ledger-balance")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
    }

    @Test
    void aForgedSignatureOrAnAlteredPayloadIsRefusedThoughTheGenuineTokenIsCached() throws Exception {
        String genuine = TestTokens.token("vt-dave", "buyer");
        decision("Bearer " + genuine).then().statusCode(200).body("subject", equalTo("vt-dave"));
        decision("Bearer " + genuine).then().statusCode(200);
        String[] parts = genuine.split("\\.");

        // The very same header and claims, signed by a key the service does not trust.
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(TestTokens.otherKeys().getPrivate());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        String foreignSignature = Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        refused("Bearer " + parts[0] + "." + parts[1] + "." + foreignSignature);

        // The genuine signature over claims changed to another subject.
        String otherSubject = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"vt-dave\"", "\"vt-mallory\"")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(otherSubject).isNotEqualTo(parts[1]);
        refused("Bearer " + parts[0] + "." + otherSubject + "." + parts[2]);

        // The genuine token still works: the refusals did not evict or poison it.
        decision("Bearer " + genuine).then().statusCode(200).body("subject", equalTo("vt-dave"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        refused(TestTokens.expiredBearer("vt-erin", "buyer"));
    }

    /**
     * A JWT the gateway forwarded for an API token lives 60 s; once the API token is revoked the gateway forwards no
     * new one, and the last one must stop working here at its exp even though it is cached. Here it lives 3 s.
     */
    @Test
    void aCachedTokenIsRefusedFromItsExpiryOn() throws Exception {
        long exp = System.currentTimeMillis() / 1000 + 3;
        String token = "Bearer "
                + Jwt.issuer(TestTokens.GATEWAY_ISSUER)
                        .subject("vt-frank")
                        .claim("realm_access", Map.of("roles", List.of("buyer")))
                        .claim("typ", "Bearer")
                        .expiresAt(exp)
                        .jws()
                        .keyId(TestTokens.gatewayKeyId())
                        .sign(gatewayKey());
        long hits = tokens.hits();
        decision(token).then().statusCode(200).body("subject", equalTo("vt-frank"));

        // Poll until it is refused: every answer that granted it came from a request started before its exp.
        List<String> grantedLate = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    long started = System.currentTimeMillis();
                    Response response = decision(token);
                    if (response.statusCode() == 200 && started >= exp * 1000) {
                        grantedLate.add("granted at " + started + " ms, exp " + exp + " s");
                    }
                    return response.statusCode() == 401;
                });
        assertThat(grantedLate).isEmpty();
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp * 1000);
        assertThat(tokens.hits())
                .as("requests before the expiry were answered from the cache")
                .isGreaterThan(hits);
        refused(token);
    }

    @Test
    void aTokenOfAnotherIssuersKeyIsRefused() {
        refused("Bearer "
                + TestTokens.gatewayToken(
                        "vt-gina", List.of(), TestTokens.otherKeys().getPrivate(), "buyer"));
    }

    private static Response decision(String bearer) {
        return given().header("Authorization", bearer).get("/api/v1/entitlements/" + NS + "/free-model");
    }

    private static void refused(String bearer) {
        decision(bearer).then().statusCode(401).contentType(PROBLEM).body("status", equalTo(401));
    }

    private static PrivateKey gatewayKey() throws Exception {
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(TestTokens.gatewaySigningKey())));
    }
}
