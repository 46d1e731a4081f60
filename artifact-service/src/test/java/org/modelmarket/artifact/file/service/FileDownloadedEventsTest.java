package org.modelmarket.artifact.file.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Download events end to end: a weight file's download reaches {@code artifact.downloads} exactly once per caller and
 * day as a structured CloudEvent keyed by the listing id, shaped like the published fixture; repeated, resumed and
 * later-range requests, README reads, conditional, {@code HEAD} and failed requests publish nothing; a broker outage delays the event and loses nothing. A raw Kafka consumer reads the topic,
 * as catalog-service would.
 */
@QuarkusTest
class FileDownloadedEventsTest {

    private static final String TOPIC = "artifact.downloads";
    private static final String FIXTURE = "/events/file-downloaded.json";
    private static final String ALICE = TestTokens.bearer("alice", "vendor");
    private static final String PATH = "onnx/model.onnx";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    Pool pool;

    @InjectLocalStack
    LocalStack stack;

    private final ObjectMapper json = new ObjectMapper();
    private KafkaConsumer<String, String> consumer;

    @AfterEach
    void closeConsumer() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
    }

    @Test
    void fullDownloadPublishesExactlyOneEventAndNothingElseDoes() throws IOException {
        Listing listing = listingWithFile(1000);

        // Not downloads: conditional hit, HEAD, unknown file, bad token.
        given().header("If-None-Match", "\"" + listing.sha256 + "\"")
                .when()
                .get(listing.file())
                .then()
                .statusCode(304);
        given().when()
                .head(listing.file())
                .then()
                .statusCode(200)
                .header("Content-Length", "1000")
                .header("X-Checksum-Sha256", listing.sha256);
        given().when().get(listing.files() + "/missing.bin").then().statusCode(404);
        given().header("Authorization", "Bearer not-a-jwt")
                .when()
                .get(listing.file())
                .then()
                .statusCode(401);
        assertThat(outboxRows(listing.id)).isZero();

        // The request's W3C trace context travels into the event (CloudEvents distributed-tracing extension).
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Response download = given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .when()
                .get(listing.file());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.asByteArray()).hasSize(1000);
        // Committed before the response started.
        assertThat(outboxRows(listing.id)).isOne();

        List<ConsumerRecord<String, String>> records = recordsFor(listing.id, 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.get(0);
        assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .isEqualTo("application/cloudevents+json");
        JsonNode event = json.readTree(record.value());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("org.modelmarket.artifact.FileDownloaded");
        assertThat(event.get("source").asText()).isEqualTo("/artifact-service");
        assertThat(event.get("subject").asText()).isEqualTo(listing.id.toString());
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        JsonNode data = event.get("data");
        UUID.fromString(data.get("downloadId").asText());
        assertThat(data.get("listingId").asText()).isEqualTo(listing.id.toString());
        assertThat(data.get("id").asText()).isEqualTo(listing.namespace + "/model");
        assertThat(data.get("revision").asText()).isEqualTo("main");
        assertThat(data.get("commit").asText()).isEqualTo(listing.commit);
        assertThat(data.get("path").asText()).isEqualTo(PATH);
        assertThat(data.get("bytes").asLong()).isEqualTo(1000);
        assertThat(data.get("subject").asText()).isEqualTo("bob");
        assertThat(Instant.parse(data.get("downloadedAt").asText())).isBefore(Instant.now());
        assertThat(event.get("time").asText())
                .isEqualTo(data.get("downloadedAt").asText());

        // The outbox row is the event (same id) and it is marked sent.
        UUID eventId = UUID.fromString(event.get("id").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> isSent(eventId));

        assertThat(event.get("traceparent").asText()).matches("00-" + traceId + "-[0-9a-f]{16}-0[01]");
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .as("the Kafka record continues the request's trace too")
                .contains(traceId);
        assertThat(event.has("aggregateversion"))
                .as("a download is not about the listing's state")
                .isFalse();

        // The same caller again the same day, a resumed transfer and a later range: not new downloads.
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get(listing.file())
                .then()
                .statusCode(200);
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .header("Range", "bytes=500-")
                .when()
                .get(listing.file())
                .then()
                .statusCode(206);
        // Another caller who only fetches a later range (a resume of an earlier day's download) is not counted.
        given().header("Authorization", TestTokens.bearer("dora", "buyer"))
                .header("Range", "bytes=10-19")
                .when()
                .get(listing.file())
                .then()
                .statusCode(206);
        // Nor one whose several ranges start past byte 0 (multipart/byteranges).
        given().header("Authorization", TestTokens.bearer("dora", "buyer"))
                .header("Range", "bytes=100-199,0-9")
                .when()
                .get(listing.file())
                .then()
                .statusCode(206);
        assertThat(outboxRows(listing.id)).isOne();
        // A different caller starting at byte 0 is a download.
        given().header("Authorization", TestTokens.bearer("erin", "buyer"))
                .header("Range", "bytes=0-99")
                .when()
                .get(listing.file())
                .then()
                .statusCode(206);
        assertThat(outboxRows(listing.id)).isEqualTo(2);
        // And so is one whose first range starts at byte 0.
        given().header("Authorization", TestTokens.bearer("fred", "buyer"))
                .header("Range", "bytes=0-9,100-199")
                .when()
                .get(listing.file())
                .then()
                .statusCode(206);
        assertThat(outboxRows(listing.id)).isEqualTo(3);

        // The published fixture (which catalog-service's contract test reads) has the same shape; traceparent is an
        // optional extension, present only when a trace was active.
        ((ObjectNode) event).remove("traceparent");
        assertThat(shape(event)).isEqualTo(shape(fixture()));
    }

    @Test
    void anonymousDownloadHasANullSubject() throws IOException {
        Listing listing = listingWithFile(10);

        given().when().get(listing.file()).then().statusCode(200);

        JsonNode data = json.readTree(recordsFor(listing.id, 1).get(0).value()).get("data");
        assertThat(data.has("subject")).isTrue();
        assertThat(data.get("subject").isNull()).isTrue();
    }

    @Test
    void brokerOutageDelaysTheEventAndLosesNothing() throws IOException {
        Listing listing = listingWithFile(10);

        stack.kafka().close();
        try {
            long start = System.nanoTime();
            given().header("Authorization", ALICE)
                    .when()
                    .get(listing.file())
                    .then()
                    .statusCode(200);
            // Kafka's state does not hold downloads back.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(outboxRows(listing.id)).isOne();
        } finally {
            stack.kafka().restart();
        }

        List<ConsumerRecord<String, String>> records = recordsFor(listing.id, 1);
        assertThat(records).hasSize(1);
        assertThat(json.readTree(records.get(0).value()).at("/data/subject").asText())
                .isEqualTo("alice");
    }

    /** A fresh public listing owned by alice, known to the service, with a file of {@code size} bytes at PATH. */
    private Listing listingWithFile(int size) {
        Listing listing = new Listing(
                UUID.randomUUID(), "dl-" + UUID.randomUUID().toString().substring(0, 8));
        ListingEvents.send(
                listing.id,
                ListingEvents.listingChanged(listing.id, listing.namespace, "model", 1, "public", List.of("alice")));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().when().get(listing.files()).then().statusCode(200));
        byte[] bytes = new byte[size];
        listing.sha256 = sha256(bytes);
        listing.commit = given().header("Authorization", ALICE)
                .contentType("application/octet-stream")
                .body(bytes)
                .when()
                .put(listing.file())
                .then()
                .statusCode(201)
                .extract()
                .path("commit");
        // The README is not a weight file: reading it is never a counted download.
        // The head after the README's commit: the commit a download of main is served from.
        listing.commit = given().header("Authorization", ALICE)
                .contentType("application/octet-stream")
                .body("# Model".getBytes(StandardCharsets.UTF_8))
                .when()
                .put(listing.files() + "/README.md")
                .then()
                .statusCode(201)
                .extract()
                .path("commit");
        given().when().get(listing.files() + "/README.md").then().statusCode(200);
        return listing;
    }

    /**
     * The records keyed by {@code listingId}, once {@code expected} have arrived, plus any arriving within a further
     * second (so that a duplicate would be seen).
     */
    private List<ConsumerRecord<String, String>> recordsFor(UUID listingId, int expected) {
        if (consumer == null) {
            consumer = consumerFromStart();
        }
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    poll(listingId, found, Duration.ofMillis(100));
                    return found.size() >= expected;
                });
        poll(listingId, found, Duration.ofSeconds(1));
        return found;
    }

    private void poll(UUID listingId, List<ConsumerRecord<String, String>> found, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        do {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (listingId.toString().equals(record.key())) {
                    found.add(record);
                }
            }
        } while (System.nanoTime() < end);
    }

    private KafkaConsumer<String, String> consumerFromStart() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> kafka = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = kafka.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(TOPIC, info.partition()))
                .toList();
        kafka.assign(partitions);
        kafka.seekToBeginning(partitions);
        return kafka;
    }

    private long outboxRows(UUID listingId) {
        return pool.preparedQuery("select count(*) as n from outbox where aggregateid = $1 and type = $2")
                .execute(Tuple.of(listingId.toString(), "org.modelmarket.artifact.FileDownloaded"))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong("n");
    }

    private boolean isSent(UUID eventId) {
        Row row = pool.preparedQuery("select sent_at is not null as sent from outbox where id = $1")
                .execute(Tuple.of(eventId))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        return row.getBoolean("sent");
    }

    private JsonNode fixture() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            assertThat(in).as("fixture " + FIXTURE).isNotNull();
            return json.readTree(in);
        }
    }

    /** Field paths and JSON node types, e.g. {@code data.bytes:NUMBER}; values differ between events, shapes may not. */
    private static Set<String> shape(JsonNode node) {
        Set<String> shape = new TreeSet<>();
        collect("", node, shape);
        return shape;
    }

    private static void collect(String path, JsonNode node, Set<String> shape) {
        shape.add(path + ":" + node.getNodeType());
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), shape);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A test listing: identity and the checksum of its one file. */
    private static final class Listing {
        final UUID id;
        final String namespace;
        String sha256;
        String commit;

        Listing(UUID id, String namespace) {
            this.id = id;
            this.namespace = namespace;
        }

        String files() {
            return "/api/v1/listings/" + namespace + "/model/files";
        }

        String file() {
            return files() + "/" + PATH;
        }
    }
}
