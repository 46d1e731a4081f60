package org.modelmarket.artifact;

import static io.restassured.RestAssured.given;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.modelmarket.artifact.listing.messaging.ListingEventConsumer;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;

/** Test listings created from catalog's listing events (as in production) and small helpers for the HTTP API. */
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

    /**
     * A fresh listing owned by alice with this visibility, price type and gate terms (null: not gated). Its
     * {@code ListingChanged} record goes straight to the service's own consumer method (the same reader and
     * projection as a record from {@code catalog.listings}), not through Kafka: most tests are not about delivery,
     * and waiting for it made them flaky on a loaded machine. {@code ListingEventConsumerTest} and the tests that
     * {@link #publish} later changes cover the delivery by Kafka.
     */
    public static Ref create(String prefix, String visibility, String priceType, String gateTerms) {
        Ref ref = new Ref(
                UUID.randomUUID(), prefix + "-" + UUID.randomUUID().toString().substring(0, 8), "model");
        apply(ref, 1, visibility, priceType, gateTerms);
        // The service knows the listing now, with no wait: a failure here is real.
        given().header("Authorization", ALICE)
                .when()
                .get(ref.base() + "/commits")
                .then()
                .statusCode(200);
        return ref;
    }

    /**
     * Hands the listing's state at {@code version} to the service's own {@code catalog.listings} consumer method (no
     * Kafka delivery), as {@link #create} does; returns once the projection applied it.
     */
    public static void apply(Ref ref, long version, String visibility, String priceType, String gateTerms) {
        String event = ListingEvents.listingChanged(
                ref.id(), ref.namespace(), ref.name(), version, visibility, List.of(OWNER), priceType, gateTerms);
        ListingEventConsumer consumer =
                Arc.container().instance(ListingEventConsumer.class).get();
        ConsumerRecord<String, String> record =
                new ConsumerRecord<>("catalog.listings", 0, 0L, ref.id().toString(), event);
        try {
            VertxContextSupport.subscribeAndAwait(() -> consumer.consume(record));
        } catch (Throwable e) {
            throw new IllegalStateException("The listing projection refused " + ref, e);
        }
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

    /** A part's CRC32C as S3 and the X-Checksum-Crc32c header send it: base64 of its 4 big-endian bytes. */
    public static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return Base64.getEncoder()
                .encodeToString(
                        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
