package org.modelmarket.billing.entitlement.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.billing.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** The entitlements API against real PostgreSQL and Kafka: listings are created by publishing catalog events. */
@QuarkusTest
class EntitlementResourceTest {

    private static final String NS = "ent-acme";
    private static final String PROBLEM = "application/problem+json";
    private static final String ALICE = TestTokens.bearer("alice", "buyer");
    private static final String OWNER = "ent-owner";

    private static boolean published;

    /** Once per class; not {@code @BeforeAll}, which runs before RestAssured knows the test port. */
    @BeforeEach
    void publishListings() {
        if (published) {
            return;
        }
        published = true;
        publish("free-model", "free");
        publish("paid-model", "paid");
        publish("trial-model", "trial");
        UUID owned = UUID.randomUUID();
        ListingEvents.send(owned, ListingEvents.listingChanged(owned, NS, "owned-model", 1, "paid", List.of(OWNER)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : new String[] {"free-model", "paid-model", "trial-model", "owned-model"}) {
                given().header("Authorization", ALICE)
                        .when()
                        .get(entitlement(name))
                        .then()
                        .statusCode(200);
            }
        });
    }

    @Test
    void freeListingIsGranted() {
        given().header("Authorization", ALICE)
                .when()
                .get(entitlement("free-model"))
                .then()
                .statusCode(200)
                .body("listing", equalTo(NS + "/free-model"))
                .body("subject", equalTo("alice"))
                .body("granted", equalTo(true))
                .body("reason", equalTo("free-listing"));
    }

    @Test
    void paidListingNeedsASubscription() {
        given().header("Authorization", ALICE)
                .when()
                .get(entitlement("paid-model"))
                .then()
                .statusCode(200)
                .body("granted", equalTo(false))
                .body("reason", equalTo("subscription-required"));
    }

    @Test
    void trialListingNeedsASubscription() {
        given().header("Authorization", TestTokens.bearer("bob"))
                .when()
                .get(entitlement("trial-model"))
                .then()
                .statusCode(200)
                .body("subject", equalTo("bob"))
                .body("granted", equalTo(false))
                .body("reason", equalTo("subscription-required"));
    }

    @Test
    void theOwningVendorAndAdminsAreEntitledWithoutASubscription() {
        // artifact-service lets them download the weights; the answer (and the gateway's model page built on it)
        // said "subscription-required" to the vendor of the listing (QA).
        given().header("Authorization", TestTokens.bearer(OWNER, "vendor"))
                .when()
                .get(entitlement("owned-model"))
                .then()
                .statusCode(200)
                .body("subject", equalTo(OWNER))
                .body("granted", equalTo(true))
                .body("reason", equalTo("listing-owner"));
        given().header("Authorization", TestTokens.bearer("root", "admin"))
                .when()
                .get(entitlement("owned-model"))
                .then()
                .statusCode(200)
                .body("granted", equalTo(true))
                .body("reason", equalTo("admin"));
        // Another vendor is a customer like any other.
        given().header("Authorization", TestTokens.bearer("other-vendor", "vendor"))
                .when()
                .get(entitlement("owned-model"))
                .then()
                .statusCode(200)
                .body("granted", equalTo(false))
                .body("reason", equalTo("subscription-required"));
    }

    @Test
    void anyAuthenticatedCallerMayAsk() {
        for (String token : new String[] {
            TestTokens.bearer("v", "vendor"), TestTokens.bearer("a", "admin"), TestTokens.bearer("nobody")
        }) {
            given().header("Authorization", token)
                    .when()
                    .get(entitlement("free-model"))
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void anonymousIsUnauthorized() {
        given().when()
                .get(entitlement("free-model"))
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void badTokensAreUnauthorized() {
        given().header("Authorization", TestTokens.expiredBearer("alice", "buyer"))
                .when()
                .get(entitlement("free-model"))
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        given().header("Authorization", "Bearer not-a-jwt")
                .when()
                .get(entitlement("free-model"))
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void unknownListingIsNotFound() {
        given().header("Authorization", ALICE)
                .when()
                .get(entitlement("no-such-model"))
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"))
                .body("instance", equalTo("/api/v1/entitlements/ent-acme/no-such-model"));
    }

    @Test
    void invalidCoordinatesAreRefused() {
        given().header("Authorization", ALICE)
                .when()
                .get("/api/v1/entitlements/Bad_NS!/-name-")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", contains("name", "namespace"));
    }

    private static String entitlement(String name) {
        return "/api/v1/entitlements/" + NS + "/" + name;
    }

    private static void publish(String name, String priceType) {
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, NS, name, 1, priceType));
    }
}
