package org.modelmarket.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The JWT the gateway forwards for an API token (issuer = the gateway, signed with its key) is accepted through the
 * OIDC tenant of the key its {@code kid} names (one per key of the set, platform {@code GatewayTokenTenants}), and is
 * the same caller as the subject's Keycloak token. Either key of the set is accepted, as during a rotation; a key
 * outside the set, or a kid naming one key over another key's signature, is refused.
 */
@QuarkusTest
class GatewayTokenTest {

    private static String gateway(String subject, String... roles) {
        return "Bearer " + TestTokens.gatewayToken(subject, List.of(), null, roles);
    }

    @Test
    void gatewayTokenIsTheSameCallerAsTheKeycloakToken() {
        Fixture fixture = Catalog.draft();

        // A draft is visible to its owner only (and admins): the gateway's token for the owner sees it ...
        given().header("Authorization", gateway(fixture.ownerSubject(), "vendor"))
                .get(fixture.path())
                .then()
                .statusCode(200)
                .body("listingId", equalTo(fixture.listingId()));
        // ... exactly as the owner's Keycloak token does, and another subject's does not.
        given().header("Authorization", fixture.owner())
                .get(fixture.path())
                .then()
                .statusCode(200);
        given().header("Authorization", gateway("someone-else", "vendor"))
                .get(fixture.path())
                .then()
                .statusCode(404);

        // The roles are the token's: an admin sees any draft, the same subject narrowed to buyer does not (what the
        // gateway does to a token without the admin scope).
        given().header("Authorization", gateway("root", "admin"))
                .get(fixture.path())
                .then()
                .statusCode(200);
        given().header("Authorization", gateway("root", "buyer"))
                .get(fixture.path())
                .then()
                .statusCode(404);

        // A write with the gateway's token is the owner's write (membership is by subject).
        given().header("Authorization", gateway(fixture.ownerSubject(), "vendor"))
                .contentType(ContentType.JSON)
                .body(Listings.body(fixture.namespace(), "by-publish-token"))
                .post("/api/v1/listings")
                .then()
                .statusCode(201);
        given().header("Authorization", fixture.owner())
                .get("/api/v1/listings/" + fixture.namespace() + "/by-publish-token")
                .then()
                .statusCode(200)
                .body("namespace", equalTo(fixture.namespace()));
    }

    @Test
    void eitherKeyOfTheSetIsAcceptedUnderItsKid() {
        Fixture fixture = Catalog.draft();
        KeyPair next = TestTokens.gatewayNextKeys();

        // The set holds the gateway's key and a second one (a rotation's next or previous key): a JWT signed by the
        // second key, named by its kid, is the same caller as one signed by the gateway's current key.
        for (String jwt : List.of(
                TestTokens.gatewayToken(fixture.ownerSubject(), List.of(), null, "vendor"),
                TestTokens.gatewayTokenWithKid(
                        fixture.ownerSubject(),
                        List.of(),
                        next.getPrivate(),
                        TestTokens.keyId(next.getPublic()),
                        "vendor"))) {
            given().header("Authorization", "Bearer " + jwt)
                    .get(fixture.path())
                    .then()
                    .statusCode(200)
                    .body("listingId", equalTo(fixture.listingId()));
        }
    }

    @Test
    void aKeyOutsideTheSetOrAKidNamingAnotherKeyIsRefused() {
        Fixture fixture = Catalog.draft();
        KeyPair current = TestTokens.gatewayKeys();
        KeyPair next = TestTokens.gatewayNextKeys();
        KeyPair outside = TestTokens.otherKeys();
        String owner = fixture.ownerSubject();

        List<String> refused = List.of(
                // a key that is not in the set, under its own kid (what a dropped old key's JWTs look like)
                TestTokens.gatewayTokenWithKid(
                        owner, List.of(), outside.getPrivate(), TestTokens.keyId(outside.getPublic()), "vendor"),
                // a kid that names a key of the set, the signature from another key (outside, or the set's other key)
                TestTokens.gatewayTokenWithKid(
                        owner, List.of(), outside.getPrivate(), TestTokens.gatewayKeyId(), "vendor"),
                TestTokens.gatewayTokenWithKid(
                        owner, List.of(), next.getPrivate(), TestTokens.gatewayKeyId(), "vendor"),
                TestTokens.gatewayTokenWithKid(
                        owner, List.of(), current.getPrivate(), TestTokens.keyId(next.getPublic()), "vendor"),
                // signed by a key of the set but under a kid that names none: not looked up anywhere, refused
                TestTokens.gatewayTokenWithKid(owner, List.of(), current.getPrivate(), "gateway", "vendor"));
        for (String jwt : refused) {
            given().header("Authorization", "Bearer " + jwt)
                    .get(fixture.path())
                    .then()
                    .statusCode(401)
                    .contentType(Catalog.PROBLEM)
                    .body("status", equalTo(401))
                    .body("type", equalTo("https://modelmarket.org/problems/unauthorized"));
        }
    }

    @Test
    void gatewayIssuerSignedByAnotherKeyIsRefused() {
        Fixture fixture = Catalog.draft();
        String forged = "Bearer "
                + TestTokens.gatewayToken(
                        fixture.ownerSubject(),
                        List.of(),
                        TestTokens.otherKeys().getPrivate(),
                        "vendor",
                        "admin");

        given().header("Authorization", forged)
                .get(fixture.path())
                .then()
                .statusCode(401)
                .contentType(Catalog.PROBLEM);
        given().header("Authorization", forged)
                .contentType(ContentType.JSON)
                .body(Listings.body(fixture.namespace(), "forged"))
                .post("/api/v1/listings")
                .then()
                .statusCode(401);
    }
}
