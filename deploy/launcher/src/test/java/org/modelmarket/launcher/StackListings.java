package org.modelmarket.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The setup the whole-stack tests share, made through the gateway's public API as a vendor and a buyer would:
 * alice's published listings, their pricing and files, and a buyer's subscription. Steps that depend on another
 * service having seen catalog's events (pricing in billing, files in artifact-service) are retried until it has.
 */
final class StackListings {

    /** How long a service may take to learn of a new listing from catalog.events on a loaded 2-core machine. */
    private static final Duration EVENT_DELIVERY = Duration.ofSeconds(30);

    private StackListings() {}

    /** Publishes a listing of alice (a verified vendor) with {@code extra} fields over the defaults; returns its id. */
    static String publish(String alice, String name, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of(
                "namespace", "alice",
                "name", name,
                "title", "Numbat spotter " + name,
                "summary", "Spots numbats in trail-camera footage",
                "modality", "video",
                "task", "object-detection",
                "license", "other",
                "eula", "Use it to spot numbats only.",
                "priceType", "free"));
        body.putAll(extra);
        given().header("Authorization", alice)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .body("status", equalTo("published"));
        return "alice/" + name;
    }

    /** Pricing terms in EUR without a trial: the given plans and usage dimensions. */
    static Map<String, Object> terms(List<? extends Map<String, ?>> plans, List<? extends Map<String, ?>> dimensions) {
        return Map.of("terms", Map.of("currency", "EUR", "trialDays", 0, "plans", plans, "dimensions", dimensions));
    }

    /** One subscription plan: a price per period ({@code month}, or {@code minute} where the stack allows it). */
    static Map<String, Object> plan(String code, String period, String price) {
        return Map.of("code", code, "period", period, "price", price);
    }

    /** Sets a listing's pricing once billing knows the listing. */
    static void price(String vendor, String listing, Map<String, Object> terms) {
        await().atMost(EVENT_DELIVERY)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().header("Authorization", vendor)
                        .contentType(ContentType.JSON)
                        .body(terms)
                        .post("/api/v1/listings/" + listing + "/pricing")
                        .then()
                        .statusCode(201));
    }

    /** Uploads one file in a single request once artifact-service knows the listing. */
    static void upload(String vendor, String listing, String path, byte[] content) {
        await().atMost(EVENT_DELIVERY)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().header("Authorization", vendor)
                        .contentType("application/octet-stream")
                        .body(content)
                        .put("/api/v1/listings/" + listing + "/files/" + path)
                        .then()
                        .statusCode(201));
    }

    /** Subscribes a buyer to a plan, accepting terms version 2026-11; the subscription is active at once. */
    static Response subscribe(String buyer, String listing, String plan) {
        Response subscribed = given().header("Authorization", buyer)
                .contentType(ContentType.JSON)
                .body(Map.of("listing", listing, "plan", plan, "termsVersion", "2026-11"))
                .post("/api/v1/subscriptions");
        subscribed.then().statusCode(201).body("status", equalTo("active"));
        return subscribed;
    }
}
