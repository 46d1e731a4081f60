package org.modelmarket.catalog.stats;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.Catalog.Who;
import org.modelmarket.catalog.KafkaTopics;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The stats projection against the real Kafka: download and entitlement events (with duplicates) become stats,
 * review eligibility and subscriber counts, never counted twice; stats changes reach catalog.listings coalesced,
 * with strictly increasing aggregate versions.
 */
@QuarkusTest
class StatsProjectionTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final ObjectMapper json = new ObjectMapper();
    private KafkaTopics kafka;

    @BeforeEach
    void open() {
        kafka = new KafkaTopics(bootstrapServers);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void downloadsAreCountedOnceEvenWhenEventsArriveTwiceAndMakeTheDownloaderAReviewer() throws Exception {
        Fixture fixture = Catalog.inStatus("published");
        String downloader = "dl-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TestTokens.bearer(downloader))
                .contentType(ContentType.JSON)
                .body(Map.of("rating", 4))
                .put(fixture.path() + "/reviews/me")
                .then()
                .statusCode(403)
                .body("type", equalTo(Catalog.PROBLEMS + "review-not-eligible"));

        Instant now = Instant.now();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant at = i < 4 ? now : now.minus(i == 4 ? 50 : 60, ChronoUnit.DAYS);
            events.add(download(fixture, i == 0 ? downloader : null, at));
        }
        for (String event : events) {
            kafka.send("artifact.downloads", fixture.listingId(), event);
            kafka.send("artifact.downloads", fixture.listingId(), event); // redelivery
        }
        // 6 downloads: 4 today, one 50 and one 60 days ago.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get(fixture.path())
                        .then()
                        .body("stats.downloads", equalTo(6))
                        .body("stats.downloads30d", equalTo(4))
                        .body("stats.downloads7d", equalTo(4)));

        given().header("Authorization", TestTokens.bearer(downloader))
                .contentType(ContentType.JSON)
                .body(Map.of("rating", 4, "title", "Solid"))
                .put(fixture.path() + "/reviews/me")
                .then()
                .statusCode(201);
        given().header("Authorization", TestTokens.bearer(downloader))
                .contentType(ContentType.JSON)
                .body(Map.of("rating", 2, "title", "Changed my mind"))
                .put(fixture.path() + "/reviews/me")
                .then()
                .statusCode(200)
                .body("rating", equalTo(2));
        given().get(fixture.path() + "/reviews")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("rating", equalTo(2.0f))
                .body("ratingCount", equalTo(1))
                .body("items[0].title", equalTo("Changed my mind"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get(fixture.path())
                        .then()
                        .body("stats.rating", equalTo(2.0f))
                        .body("stats.ratingCount", equalTo(1)));
    }

    /** Consumer contract test: artifact-service's own example FileDownloaded event (copied verbatim) is counted. */
    @Test
    void theArtifactServicesExampleDownloadEventIsCounted() throws Exception {
        Fixture fixture = Catalog.inStatus("published");
        com.fasterxml.jackson.databind.node.ObjectNode event;
        try (java.io.InputStream in = getClass().getResourceAsStream("/events/consumed/file-downloaded.json")) {
            event = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
        }
        // Only what ties the example to this test's listing changes; every other field stays the producer's.
        event.put("id", UUID.randomUUID().toString()).put("subject", fixture.listingId());
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("data"))
                .put("listingId", fixture.listingId())
                .put("downloadedAt", Instant.now().toString());

        kafka.send("artifact.downloads", fixture.listingId(), event.toString());

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get(fixture.path())
                        .then()
                        .body("stats.downloads", equalTo(1))
                        .body("stats.downloads7d", equalTo(1)));
    }

    @Test
    void activeSubscriptionsAreSubscribersAndEntitledUsersMayReview() throws Exception {
        Fixture fixture = Catalog.inStatus("published");
        kafka.send(
                "billing.entitlements",
                fixture.listingId() + ":s1",
                entitlement(fixture, "s1", "active", "subscription"));
        kafka.send("billing.entitlements", fixture.listingId() + ":s2", entitlement(fixture, "s2", "active", "trial"));
        kafka.send("billing.entitlements", fixture.listingId() + ":s3", entitlement(fixture, "s3", "active", "free"));
        String twice = entitlement(fixture, "s4", "active", "subscription");
        kafka.send("billing.entitlements", fixture.listingId() + ":s4", twice);
        kafka.send("billing.entitlements", fixture.listingId() + ":s4", twice);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get(fixture.path()).then().body("stats.subscribers", equalTo(3)));
        kafka.send(
                "billing.entitlements",
                fixture.listingId() + ":s1",
                entitlement(fixture, "s1", "expired", "subscription"));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get(fixture.path()).then().body("stats.subscribers", equalTo(2)));
        // s3 (free, active) may review; s1 (expired) may not.
        given().header("Authorization", TestTokens.bearer("s3"))
                .contentType(ContentType.JSON)
                .body(Map.of("rating", 5))
                .put(fixture.path() + "/reviews/me")
                .then()
                .statusCode(201);
        given().header("Authorization", TestTokens.bearer("s1"))
                .contentType(ContentType.JSON)
                .body(Map.of("rating", 1))
                .put(fixture.path() + "/reviews/me")
                .then()
                .statusCode(403);
        // The vendor replies.
        String reviewId =
                given().get(fixture.path() + "/reviews").then().extract().path("items[0].reviewId");
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("body", "Thank you"))
                .put(fixture.path() + "/reviews/" + reviewId + "/reply")
                .then()
                .statusCode(200)
                .body("reply.body", equalTo("Thank you"))
                .body("reply.subject", equalTo(fixture.ownerSubject()));
    }

    @Test
    void likesAreOnePerUserAndStatsChangesReachTheTopicCoalescedWithIncreasingVersions() throws Exception {
        Fixture fixture = Catalog.inStatus("published");
        for (int i = 0; i < 3; i++) {
            fixture.as(Who.BUYER)
                    .put(fixture.path() + "/likes/me")
                    .then()
                    .statusCode(200)
                    .body("likes", equalTo(1))
                    .body("liked", equalTo(true));
        }
        fixture.as(Who.ADMIN).put(fixture.path() + "/likes/me").then().body("likes", equalTo(2));
        fixture.as(Who.ADMIN)
                .delete(fixture.path() + "/likes/me")
                .then()
                .body("likes", equalTo(1))
                .body("liked", equalTo(false));
        given().get(fixture.path() + "/likes").then().body("likes", equalTo(1)).body("liked", equalTo(false));

        // A burst of 40 downloads.
        for (int i = 0; i < 40; i++) {
            kafka.send("artifact.downloads", fixture.listingId(), download(fixture, "burst-" + i, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get(fixture.path())
                        .then()
                        .body("stats.downloads", equalTo(40))
                        .body("stats.likes", equalTo(1)));

        try (KafkaConsumer<String, String> consumer = kafka.consumerFromStart("catalog.listings", "catalog.events")) {
            List<JsonNode> state = new ArrayList<>();
            List<String> domain = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : KafkaTopics.drain(consumer, Duration.ofMillis(300))) {
                    if (!fixture.listingId().equals(record.key())) {
                        continue;
                    }
                    JsonNode event = json.readTree(record.value());
                    if (record.topic().equals("catalog.listings")) {
                        state.add(event);
                    } else {
                        domain.add(event.get("type").asText());
                    }
                }
                assertThat(state).isNotEmpty();
                assertThat(state.get(state.size() - 1)
                                .at("/data/stats/downloads")
                                .asLong())
                        .isEqualTo(40);
            });
            List<Long> versions =
                    state.stream().map(e -> e.get("aggregateversion").asLong()).toList();
            assertThat(versions)
                    .as("aggregateversion strictly increasing")
                    .isSorted()
                    .doesNotHaveDuplicates();
            long statsEvents = state.stream()
                    .filter(e -> e.at("/data/version").asLong() == 3)
                    .count();
            // 40 downloads and 4 like changes, but far fewer state events: coalesced (about one per second).
            assertThat(statsEvents).isLessThan(20);
            assertThat(domain)
                    .contains(
                            "org.modelmarket.catalog.ListingCreated",
                            "org.modelmarket.catalog.ListingSubmitted",
                            "org.modelmarket.catalog.ListingPublished",
                            "org.modelmarket.catalog.ListingLiked",
                            "org.modelmarket.catalog.ListingUnliked");
        }
    }

    private String download(Fixture fixture, String subject, Instant at) throws Exception {
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("downloadId", UUID.randomUUID().toString());
        data.put("listingId", fixture.listingId());
        data.put("id", fixture.id());
        data.put("revision", "main");
        data.put("path", "model.bin");
        data.put("bytes", 123);
        data.put("subject", subject);
        data.put("downloadedAt", at.toString());
        return envelope("org.modelmarket.artifact.FileDownloaded", "/artifact-service", fixture.listingId(), data);
    }

    private String entitlement(Fixture fixture, String subject, String status, String source) throws Exception {
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("entitlementId", UUID.randomUUID().toString());
        data.put("listingId", fixture.listingId());
        data.put("id", fixture.id());
        data.put("subject", subject);
        data.put("status", status);
        data.put("source", source);
        data.put("validUntil", null);
        return envelope(
                "org.modelmarket.billing.EntitlementChanged",
                "/billing-service",
                fixture.listingId() + ":" + subject,
                data);
    }

    private String envelope(String type, String source, String subject, Map<String, Object> data) throws Exception {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", source);
        event.put("type", type);
        event.put("subject", subject);
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return json.writeValueAsString(event);
    }
}
