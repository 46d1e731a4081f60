package org.modelmarket.artifact;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.restassured.response.Response;

/** Test listings created through catalog events (as in production) and small helpers for the HTTP API. */
public final class TestListings {

    public static final String OWNER = "alice";
    public static final String ALICE = TestTokens.bearer(OWNER, "vendor");
    public static final String OCTETS = "application/octet-stream";
    public static final String PROBLEM = "application/problem+json";

    private TestListings() {}

    /** A test listing's identity. */
    public record Ref(UUID id, String namespace, String name) {
        public String base() {
            return "/api/v1/listings/" + namespace + "/" + name;
        }

        public String file(String path) {
            return base() + "/files/" + path;
        }
    }

    /** A fresh free public listing owned by alice, once the service knows it. */
    public static Ref create(String prefix) {
        return create(prefix, "public", "free", null);
    }

    /** A fresh listing owned by alice with this visibility, price type and gate terms (null: not gated). */
    public static Ref create(String prefix, String visibility, String priceType, String gateTerms) {
        Ref ref = new Ref(
                UUID.randomUUID(), prefix + "-" + UUID.randomUUID().toString().substring(0, 8), "model");
        publish(ref, 1, visibility, priceType, gateTerms);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().header("Authorization", ALICE)
                        .when()
                        .get(ref.base() + "/commits")
                        .then()
                        .statusCode(200));
        return ref;
    }

    /** Publishes the listing's state at {@code version}. */
    public static void publish(Ref ref, long version, String visibility, String priceType, String gateTerms) {
        ListingEvents.send(
                ref.id(),
                ListingEvents.listingChanged(
                        ref.id(),
                        ref.namespace(),
                        ref.name(),
                        version,
                        visibility,
                        List.of(OWNER),
                        priceType,
                        gateTerms));
    }

    /** PUT one file as alice; returns the response (201 expected). */
    public static Response upload(Ref ref, String path, byte[] bytes) {
        return given().header("Authorization", ALICE)
                .contentType(OCTETS)
                .body(bytes)
                .when()
                .put(ref.file(path));
    }

    /** PUT one file as alice and return the new commit id. */
    public static String uploaded(Ref ref, String path, String content) {
        return upload(ref, path, content.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .extract()
                .path("commit");
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
