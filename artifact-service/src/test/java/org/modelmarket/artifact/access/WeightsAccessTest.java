package org.modelmarket.artifact.access;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.modelmarket.artifact.TestListings.ALICE;
import static org.modelmarket.artifact.TestListings.PROBLEM;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code GET .../access}, the listing-level decision on its weight files (what the Hub's auth-check asks), against
 * the real PostgreSQL and Kafka: it is the problem a weight download gets, for a listing whatever files it has (a paid
 * listing with only open files, a gated one with none), until billing's entitlement or catalog's terms acceptance
 * arrives; owners, admins and free listings pass with their reason; private listings stay invisible.
 */
@QuarkusTest
class WeightsAccessTest {

    @Test
    void aPaidListingWithOnlyOpenFilesIsRefusedUntilTheCallerIsEntitled() throws IOException {
        Ref ref = TestListings.create("access-paid", "public", "paid", null);
        TestListings.uploaded(ref, "README.md", "# Paid model");
        TestListings.uploaded(ref, "config.json", "{}");
        String buyer = "buyer-" + UUID.randomUUID();
        String token = TestTokens.bearer(buyer, "buyer");

        // Its files are all open, but what it sells is not: the decision is the listing's.
        given().header("Authorization", token)
                .get(ref.file("config.json"))
                .then()
                .statusCode(200);
        given().get(ref.base() + "/access")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("https://modelmarket.org/problems/login-required"))
                .body("detail", containsString("weight file of " + ref.namespace() + "/model"));
        given().header("Authorization", token)
                .get(ref.base() + "/access")
                .then()
                .statusCode(402)
                .contentType(PROBLEM)
                .header("Link", containsString("/api/v1/listings/" + ref.namespace() + "/model/pricing"))
                .body("type", equalTo("https://modelmarket.org/problems/subscription-required"));
        given().header("Authorization", ALICE)
                .get(ref.base() + "/access")
                .then()
                .statusCode(200)
                .body("listing", equalTo(ref.namespace() + "/model"))
                .body("weights", equalTo("granted"))
                .body("reason", equalTo("owner"));
        given().header("Authorization", TestTokens.bearer("root-" + UUID.randomUUID(), "admin"))
                .get(ref.base() + "/access")
                .then()
                .statusCode(200)
                .body("reason", equalTo("admin"));

        ListingEvents.send(
                "billing.entitlements",
                ref.id() + "/" + buyer,
                AccessTest.entitlement(ref, buyer, 1, "active", "active"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", token)
                        .get(ref.base() + "/access")
                        .then()
                        .statusCode(200)
                        .body("reason", equalTo("entitled")));
    }

    @Test
    void aGatedListingWithoutFilesIsRefusedUntilItsTermsAreAccepted() throws IOException {
        Ref ref = TestListings.create("access-gated", "public", "free", "Do no harm.");
        String user = "user-" + UUID.randomUUID();
        String token = TestTokens.bearer(user, "buyer");

        given().header("Authorization", token)
                .get(ref.base() + "/access")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .header("Link", containsString("/terms/acceptance"))
                .body("type", equalTo("https://modelmarket.org/problems/terms-not-accepted"));

        ListingEvents.send("catalog.events", ref.id().toString(), AccessTest.termsAccepted(ref, user, "Do no harm."));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", token)
                        .get(ref.base() + "/access")
                        .then()
                        .statusCode(200)
                        .body("reason", equalTo("terms-accepted")));
    }

    @Test
    void aFreeListingIsGrantedToAnyoneAndAPrivateOneIsInvisibleToOthers() {
        Ref free = TestListings.create("access-free");
        given().get(free.base() + "/access")
                .then()
                .statusCode(200)
                .body("weights", equalTo("granted"))
                .body("reason", equalTo("free"));

        Ref hidden = TestListings.create("access-private", "private", "paid", null);
        given().get(hidden.base() + "/access")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"));
        given().header("Authorization", TestTokens.bearer("mallory", "vendor"))
                .get(hidden.base() + "/access")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"));
        given().header("Authorization", ALICE)
                .get(hidden.base() + "/access")
                .then()
                .statusCode(200)
                .body("reason", equalTo("owner"));
    }

    @Test
    void badCoordinatesAndUnknownListingsAreProblems() {
        given().get("/api/v1/listings/Bad_Namespace!/model/access")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().get("/api/v1/listings/nobody-" + UUID.randomUUID().toString().substring(0, 8) + "/model/access")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"));
        given().header("Authorization", TestTokens.expiredBearer("bob"))
                .get("/api/v1/listings/acme/model/access")
                .then()
                .statusCode(401);
    }
}
