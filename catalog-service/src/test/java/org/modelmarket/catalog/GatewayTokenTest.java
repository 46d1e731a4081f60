package org.modelmarket.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The JWT the gateway forwards for an API token (issuer = the gateway, signed with its key) is accepted through the
 * second OIDC tenant, chosen by its issuer, and is the same caller as the subject's Keycloak token; a token with the
 * gateway's issuer signed by any other key is refused.
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
