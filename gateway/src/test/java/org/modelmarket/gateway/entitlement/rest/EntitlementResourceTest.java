package org.modelmarket.gateway.entitlement.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EntitlementResourceTest {

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void buyerAsksBillingWithOwnToken() {
        stub.json("billing", 200, """
                {"listing":"acme/resnet-50","subject":"bob","granted":false,"reason":"subscription-required"}""");
        String token = TestTokens.bearer("bob", "buyer");

        given().header("Authorization", token)
                .when()
                .get("/api/v1/entitlements/acme/resnet-50")
                .then()
                .statusCode(200)
                .body("granted", equalTo(false))
                .body("reason", equalTo("subscription-required"));

        DownstreamStub.Recorded call = stub.onlyCall("billing");
        assertThat(call.uri()).isEqualTo("/api/v1/entitlements/acme/resnet-50");
        assertThat(call.header("Authorization")).isEqualTo(token);
    }

    @Test
    void anyAuthenticatedCallerMayAsk() {
        stub.json("billing", 200, """
                {"listing":"acme/resnet-50","subject":"dave","granted":true,"reason":"free-listing"}""");

        given().header("Authorization", TestTokens.bearer("dave"))
                .when()
                .get("/api/v1/entitlements/acme/resnet-50")
                .then()
                .statusCode(200)
                .body("granted", equalTo(true));
    }

    @Test
    void anonymousMayNotAsk() {
        given().when()
                .get("/api/v1/entitlements/acme/resnet-50")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        assertThat(stub.calls("billing")).isEmpty();
    }

    @Test
    void unknownListingPassesThrough() {
        String missing = Listings.problem(404, "Not found", "no listing acme/nope");
        stub.json("billing", 404, missing);

        String body = given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/api/v1/entitlements/acme/nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .asString();
        assertThat(body).isEqualTo(missing);
    }

    @Test
    void billingDownIs503() {
        stub.down("billing");

        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/api/v1/entitlements/acme/resnet-50")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("status", equalTo(503));
    }
}
