package org.modelmarket.catalog;

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

import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.platform.security.VerifiedTokens;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * The platform's cache of verified bearer tokens in catalog-service: a token's next requests are answered from it as
 * the same caller (a draft is its owner's alone), and whatever it holds, a forged or altered token, one of another
 * issuer, an expired one, or a cached one from its {@code exp} on is refused as quarkus-oidc refuses it.
 */
@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    VerifiedTokens tokens;

    @Test
    void aTokensNextRequestsAreAnsweredFromTheCacheAsTheSameCaller() {
        Fixture fixture = Catalog.draft();
        String owner = fixture.owner();
        read(fixture, owner).then().statusCode(200).body("listingId", equalTo(fixture.listingId()));
        long hits = tokens.hits();

        read(fixture, owner).then().statusCode(200).body("listingId", equalTo(fixture.listingId()));
        read(fixture, owner).then().statusCode(200);
        assertThat(tokens.hits()).isGreaterThanOrEqualTo(hits + 2);

        // Another caller's cached token is that caller: the draft stays the owner's.
        String other = TestTokens.bearer("vtc-other", "vendor");
        read(fixture, other).then().statusCode(404);
        read(fixture, other).then().statusCode(404);
        // The roles come back with the cached identity: an admin sees any draft.
        read(fixture, Catalog.ADMIN).then().statusCode(200);
        read(fixture, Catalog.ADMIN).then().statusCode(200);
    }

    @Test
    void aForgedAlteredOrForeignIssuerTokenIsRefusedThoughTheGenuineOneIsCached() throws Exception {
        Fixture fixture = Catalog.draft();
        String genuine = fixture.owner().substring("Bearer ".length());
        read(fixture, "Bearer " + genuine).then().statusCode(200);
        read(fixture, "Bearer " + genuine).then().statusCode(200);
        String[] parts = genuine.split("\\.");

        // The same header and claims signed by a key the service does not trust.
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(TestTokens.otherKeys().getPrivate());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        refused(
                fixture,
                parts[0] + "." + parts[1] + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign()));

        // The genuine signature over claims changed to another subject.
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String altered = payload.replace("\"" + fixture.ownerSubject() + "\"", "\"vtc-mallory\"");
        assertThat(altered).isNotEqualTo(payload);
        refused(
                fixture,
                parts[0] + "."
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(altered.getBytes(StandardCharsets.UTF_8))
                        + "." + parts[2]);

        // Signed by the trusted key, but for an issuer the service does not accept.
        refused(
                fixture,
                TestTokens.tokenOfIssuer(
                        "https://elsewhere.test/realms/modelmarket", fixture.ownerSubject(), "vendor", "admin"));

        // The genuine token still works: refusals neither evicted nor replaced it.
        read(fixture, "Bearer " + genuine).then().statusCode(200).body("listingId", equalTo(fixture.listingId()));
    }

    @Test
    void anExpiredTokenIsRefused() {
        Fixture fixture = Catalog.draft();
        read(fixture, TestTokens.expiredBearer(fixture.ownerSubject(), "vendor"))
                .then()
                .statusCode(401)
                .contentType(Catalog.PROBLEM);
    }

    /**
     * A JWT the gateway forwarded for an API token lives 60 s; once the API token is revoked the gateway forwards no
     * new one, and the last one must stop working here at its exp even though it is cached. Here it lives 3 s.
     */
    @Test
    void aCachedTokenIsRefusedFromItsExpiryOn() throws Exception {
        Fixture fixture = Catalog.draft();
        long exp = System.currentTimeMillis() / 1000 + 3;
        String token = "Bearer "
                + Jwt.issuer(TestTokens.GATEWAY_ISSUER)
                        .subject(fixture.ownerSubject())
                        .claim("realm_access", Map.of("roles", List.of("vendor")))
                        .claim("typ", "Bearer")
                        .expiresAt(exp)
                        .jws()
                        .keyId(TestTokens.gatewayKeyId())
                        .sign(gatewayKey());
        long hits = tokens.hits();
        read(fixture, token).then().statusCode(200);

        // Poll until it is refused: every answer that granted it came from a request started before its exp.
        List<String> grantedLate = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    long started = System.currentTimeMillis();
                    Response response = read(fixture, token);
                    if (response.statusCode() == 200 && started >= exp * 1000) {
                        grantedLate.add("granted at " + started + " ms, exp " + exp + " s");
                    }
                    return response.statusCode() == 401;
                });
        assertThat(grantedLate).isEmpty();
        assertThat(tokens.hits())
                .as("requests before the expiry were answered from the cache")
                .isGreaterThan(hits);
        read(fixture, token).then().statusCode(401).contentType(Catalog.PROBLEM);
    }

    private static Response read(Fixture fixture, String bearer) {
        return given().header("Authorization", bearer).get(fixture.path());
    }

    private static void refused(Fixture fixture, String jwt) {
        read(fixture, "Bearer " + jwt)
                .then()
                .statusCode(401)
                .contentType(Catalog.PROBLEM)
                .body("status", equalTo(401));
    }

    private static PrivateKey gatewayKey() throws Exception {
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(TestTokens.gatewaySigningKey())));
    }
}
