package org.modelmarket.artifact.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.modelmarket.artifact.TestListings.ALICE;
import static org.modelmarket.artifact.TestListings.PROBLEM;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.listing.messaging.ListingChangedReader;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Who may download what, with the projections fed by real Kafka: paid weights need an entitlement from
 * {@code billing.entitlements} (granted, then revoked: bytes refused again), gated weights need a {@code TermsAccepted}
 * for the current terms, the README and configs stay open, private listings are invisible; every refusal says what to
 * do. The consumers' readers run against the producers' example events ({@code events/consumed/}).
 */
@QuarkusTest
class AccessTest {

    private static final String ENTITLEMENTS = "billing.entitlements";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void paidWeightsNeedAnActiveEntitlementWhileReadmeStaysOpen() throws IOException {
        Ref ref = TestListings.create("paid", "public", "paid", null);
        TestListings.uploaded(ref, "README.md", "# Paid model");
        TestListings.uploaded(ref, "model.safetensors", "weights");
        String buyer = "buyer-" + UUID.randomUUID();
        String token = TestTokens.bearer(buyer, "buyer");

        // Evaluation material is open, even anonymously.
        given().get(ref.file("README.md")).then().statusCode(200).body(equalTo("# Paid model"));
        given().get(ref.base() + "/tree/main").then().statusCode(200);
        // Weights: anonymous → 401 log in; signed in without an entitlement → 402 subscribe here.
        given().get(ref.file("model.safetensors"))
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("https://modelmarket.org/problems/login-required"));
        given().header("Authorization", token)
                .get(ref.file("model.safetensors"))
                .then()
                .statusCode(402)
                .contentType(PROBLEM)
                // The refusal names API routes that exist (the gateway has no web page at /listings/...).
                .header(
                        "Link",
                        equalTo("<http://gateway.test/api/v1/listings/" + ref.namespace() + "/model/pricing>;"
                                + " rel=\"subscribe\""))
                .body("type", equalTo("https://modelmarket.org/problems/subscription-required"))
                .body("detail", containsString("subscribe at http://gateway.test/api/v1/subscriptions"))
                .body("detail", containsString("{\"listing\": \"" + ref.namespace() + "/model\""))
                .body(
                        "detail",
                        containsString(
                                "GET http://gateway.test/api/v1/listings/" + ref.namespace() + "/model/pricing"));
        // The redirect the gateway asks for is refused the same way (no signed URL escapes).
        given().header("Authorization", token)
                .header("X-ModelMarket-Redirect", "signed")
                .redirects()
                .follow(false)
                .get(ref.file("model.safetensors"))
                .then()
                .statusCode(402);
        // The owner always may.
        given().header("Authorization", ALICE)
                .get(ref.file("model.safetensors"))
                .then()
                .statusCode(200);

        // Granted by billing's event.
        ListingEvents.send(ENTITLEMENTS, ref.id() + "/" + buyer, entitlement(ref, buyer, 1, "active", "trial"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", token)
                        .get(ref.file("model.safetensors"))
                        .then()
                        .statusCode(200)
                        .body(equalTo("weights")));

        // Revoked: bytes refused again.
        ListingEvents.send(ENTITLEMENTS, ref.id() + "/" + buyer, entitlement(ref, buyer, 2, "inactive", "cancelled"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", token)
                        .get(ref.file("model.safetensors"))
                        .then()
                        .statusCode(402));
        // A stale (older) grant arriving late changes nothing.
        ListingEvents.send(ENTITLEMENTS, ref.id() + "/" + buyer, entitlement(ref, buyer, 1, "active", "active"));
        String marker = "marker-" + UUID.randomUUID();
        ListingEvents.send(ENTITLEMENTS, ref.id() + "/" + marker, entitlement(ref, marker, 1, "active", "active"));
        String markerToken = TestTokens.bearer(marker, "buyer");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", markerToken)
                        .get(ref.file("model.safetensors"))
                        .then()
                        .statusCode(200));
        given().header("Authorization", token)
                .get(ref.file("model.safetensors"))
                .then()
                .statusCode(402);
    }

    @Test
    void poisonEntitlementEventsAreDeadLettered() throws IOException {
        Ref ref = TestListings.create("paid-dlq", "public", "paid", null);
        String key = ref.id() + "/poison";
        ObjectNode bad = (ObjectNode) JSON.readTree(entitlement(ref, "poison", 1, "maybe", "active"));
        ListingEvents.send(ENTITLEMENTS, key, JSON.writeValueAsString(bad));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        ListingEvents.deadLettered(ENTITLEMENTS + ".dlq", key).isPresent());
        assertThat(ListingEvents.header(
                        ListingEvents.deadLettered(ENTITLEMENTS + ".dlq", key).orElseThrow(), "dead-letter-reason"))
                .contains("maybe");
    }

    @Test
    void gatedWeightsNeedTheCurrentTermsAccepted() throws IOException {
        Ref ref = TestListings.create("gated", "public", "free", "Do no harm.");
        TestListings.uploaded(ref, "config.json", "{}");
        TestListings.uploaded(ref, "pytorch_model.bin", "weights");
        String user = "user-" + UUID.randomUUID();
        String token = TestTokens.bearer(user, "buyer");

        given().get(ref.file("config.json")).then().statusCode(200);
        given().header("Authorization", token)
                .get(ref.file("pytorch_model.bin"))
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/terms-not-accepted"))
                .body("detail", containsString("/api/v1/listings/" + ref.namespace() + "/model/terms/acceptance"))
                .body("detail", containsString("read its terms (gateTerms) at http://gateway.test/api/v1/listings/"));

        ListingEvents.send("catalog.events", ref.id().toString(), termsAccepted(ref, user, "Do no harm."));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", token)
                        .get(ref.file("pytorch_model.bin"))
                        .then()
                        .statusCode(200));

        // New terms: the old acceptance no longer counts.
        TestListings.publish(ref, 2, "public", "free", "Do no harm. Also: cite us.");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", token)
                        .get(ref.file("pytorch_model.bin"))
                        .then()
                        .statusCode(403));
    }

    @Test
    void privateListingsAreInvisibleToOthers() {
        Ref ref = TestListings.create("private", "private", "free", null);
        TestListings.uploaded(ref, "README.md", "secret");
        String other = TestTokens.bearer("mallory", "vendor");
        for (String path : new String[] {"/files/README.md", "/files", "/tree/main", "/commits", "/commits/main"}) {
            given().get(ref.base() + path).then().statusCode(404).contentType(PROBLEM);
            given().header("Authorization", other)
                    .get(ref.base() + path)
                    .then()
                    .statusCode(404)
                    .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"));
            given().header("Authorization", ALICE).get(ref.base() + path).then().statusCode(200);
        }
        given().header("Authorization", TestTokens.bearer("root", "admin"))
                .get(ref.file("README.md"))
                .then()
                .statusCode(200);
    }

    @Test
    void readersAcceptTheProducersExamples() throws IOException {
        // The contract: the fixtures as the producers publish them are readable (and deserialize the fields used).
        ObjectNode entitlement = (ObjectNode) JSON.readTree(fixture("/events/consumed/entitlement-changed.json"));
        assertThat(entitlement.at("/data/status").asText()).isEqualTo("active");
        ObjectNode terms = (ObjectNode) JSON.readTree(fixture("/events/consumed/terms-accepted.json"));
        assertThat(terms.at("/data/termsVersion").asText())
                .hasSize(64)
                .isEqualTo(ListingChangedReader.termsVersion("foo"));
    }

    /** billing's example with this listing, buyer, version and status. */
    static String entitlement(Ref ref, String subject, long version, String status, String subscriptionStatus)
            throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(fixture("/events/consumed/entitlement-changed.json"));
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", ref.id() + "/" + subject);
        event.put("aggregateversion", version);
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("listingId", ref.id().toString());
        data.put("listing", ref.namespace() + "/" + ref.name());
        data.put("subject", subject);
        data.put("status", status);
        data.put("subscriptionStatus", subscriptionStatus);
        data.putNull("expiresAt");
        return JSON.writeValueAsString(event);
    }

    /** catalog's example for this listing, user and terms text. */
    static String termsAccepted(Ref ref, String subject, String terms) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(fixture("/events/consumed/terms-accepted.json"));
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", ref.id().toString());
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("listingId", ref.id().toString());
        data.put("subject", subject);
        data.put("termsVersion", ListingChangedReader.termsVersion(terms));
        return JSON.writeValueAsString(event);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = AccessTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
