package org.modelmarket.catalog.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The outbox end to end: a created listing reaches {@code catalog.listings} as a CloudEvent keyed by its id,
 * shaped like the published fixture, and its outbox row is marked sent; a broker outage delays it, loses nothing.
 * A raw Kafka consumer reads the topic, as a consumer service would.
 */
@QuarkusTest
class ListingEventsTest {

    private static final Logger LOG = Logger.getLogger(ListingEventsTest.class);
    private static final String TOPIC = "catalog.listings";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    Pool pool;

    @Inject
    ObjectMapper objectMapper;

    @InjectLocalStack
    LocalStack stack;

    private KafkaConsumer<String, String> consumer;

    @BeforeEach
    void openConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(TOPIC, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @AfterEach
    void closeConsumer() {
        consumer.close(Duration.ofSeconds(5));
    }

    @Test
    void createdListingIsPublishedAsACloudEventKeyedByListingId() throws IOException {
        String namespace = Listings.freshNamespace();
        JsonNode created = objectMapper.readTree(post(namespace, "bert-base"));
        long posted = System.nanoTime();
        String listingId = created.get("listingId").asText();

        ConsumerRecord<String, String> record = awaitRecord(listingId, Duration.ofSeconds(15));
        LOG.infof(
                "ListingChanged arrived %d ms after the POST returned",
                Duration.ofNanos(System.nanoTime() - posted).toMillis());

        assertThat(record.key()).isEqualTo(listingId);
        Header contentType = record.headers().lastHeader("content-type");
        assertThat(contentType).isNotNull();
        assertThat(new String(contentType.value(), StandardCharsets.UTF_8)).isEqualTo("application/cloudevents+json");

        JsonNode event = objectMapper.readTree(record.value());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("org.modelmarket.catalog.ListingChanged");
        assertThat(event.get("source").asText()).isEqualTo("/catalog-service");
        assertThat(event.get("subject").asText()).isEqualTo(listingId);
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.get("aggregateversion").asLong()).isEqualTo(1);
        UUID eventId = UUID.fromString(event.get("id").asText());
        // The event data is the listing as the API shows it.
        assertThat(event.get("data")).isEqualTo(created);

        // The outbox row is the event (same id) and it is marked sent.
        Row row = pool.preparedQuery(
                        "select aggregateid, aggregatetype, type, topic, sent_at from outbox where id = $1")
                .execute(Tuple.of(eventId))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        assertThat(row.getString("aggregateid")).isEqualTo(listingId);
        assertThat(row.getString("aggregatetype")).isEqualTo("listing");
        assertThat(row.getString("topic")).isEqualTo(TOPIC);
        await().atMost(Duration.ofSeconds(5)).until(() -> isSent(eventId));
    }

    /** The request's trace continues through the outbox row into the Kafka record (header and CloudEvent). */
    @Test
    void theRequestsTraceContextCrossesKafka() throws IOException {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        JsonNode created = objectMapper.readTree(given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType(ContentType.JSON)
                .body(Listings.body(Listings.freshNamespace(), "traced"))
                .when()
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .extract()
                .asString());

        ConsumerRecord<String, String> record =
                awaitRecord(created.get("listingId").asText(), Duration.ofSeconds(15));

        JsonNode event = objectMapper.readTree(record.value());
        assertThat(org.modelmarket.platform.tracing.TraceContext.traceId(
                        event.get("traceparent").asText()))
                .isEqualTo(traceId);
        Header header = record.headers().lastHeader("traceparent");
        assertThat(header).isNotNull();
        assertThat(org.modelmarket.platform.tracing.TraceContext.traceId(
                        new String(header.value(), StandardCharsets.UTF_8)))
                .isEqualTo(traceId);
    }

    @Test
    void publishedEventHasTheShapeOfTheContractFixture() throws IOException {
        // Every field set, as in the fixture.
        String namespace = Listings.freshNamespace();
        JsonNode created = objectMapper.readTree(given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON)
                .body(org.modelmarket.catalog.Catalog.fullBody(namespace, "shape"))
                .when()
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .extract()
                .asString());
        JsonNode published =
                objectMapper.readTree(awaitRecord(created.get("listingId").asText(), Duration.ofSeconds(15))
                        .value());

        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/events/listing-changed.json")) {
            assertThat(in).as("fixture events/listing-changed.json").isNotNull();
            fixture = objectMapper.readTree(in);
        }
        Set<String> publishedShape = shape(published);
        Set<String> fixtureShape = shape(fixture);
        // Same field paths; the same JSON types wherever both carry a value (nullable fields may be null in one).
        assertThat(paths(publishedShape)).isEqualTo(paths(fixtureShape));
        Set<String> typed = new TreeSet<>(publishedShape);
        typed.removeIf(path -> path.endsWith(":nullable")
                || fixtureShape.contains(path.substring(0, path.lastIndexOf(':')) + ":nullable"));
        assertThat(fixtureShape).containsAll(typed);
        // v2 is a superset of v1: every field of the v1 contract is still there with its type.
        assertThat(publishedShape)
                .contains(
                        "data.owners:ARRAY",
                        "data.version:NUMBER",
                        "data.priceType:STRING",
                        "data.status:STRING",
                        "aggregateversion:NUMBER");
    }

    @Test
    void everyEventReachesKafkaExactlyOnceDespiteABrokerStoppedAndRestartedMidRun() throws Exception {
        // Writes before, during and after the outage: creations, lifecycle transitions, edits, likes.
        List<org.modelmarket.catalog.Catalog.Fixture> fixtures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fixtures.add(org.modelmarket.catalog.Catalog.inStatus("published"));
        }
        stack.kafka().close();
        try {
            for (int i = 0; i < 3; i++) {
                fixtures.add(org.modelmarket.catalog.Catalog.inStatus("published"));
            }
            for (org.modelmarket.catalog.Catalog.Fixture fixture : fixtures) {
                fixture.as(org.modelmarket.catalog.Catalog.Who.BUYER)
                        .put(fixture.path() + "/likes/me")
                        .then()
                        .statusCode(200);
            }
        } finally {
            stack.kafka().start();
        }
        for (org.modelmarket.catalog.Catalog.Fixture fixture : fixtures) {
            org.modelmarket.catalog.Catalog.act(fixture, "deprecate", fixture.owner(), null);
        }
        Set<String> aggregates = new TreeSet<>();
        fixtures.forEach(fixture -> aggregates.add(fixture.listingId()));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> unsentRowsFor(aggregates) == 0);

        Map<String, Integer> expected = new java.util.HashMap<>();
        for (Row row : pool.preparedQuery("select id::text as id from outbox where aggregateid = any($1)")
                .execute(Tuple.of(aggregates.toArray(String[]::new)))
                .await()
                .atMost(Duration.ofSeconds(10))) {
            expected.put(row.getString("id"), 1);
        }
        consumer.close(Duration.ofSeconds(1));
        consumer = new org.modelmarket.catalog.KafkaTopics(bootstrapServers).consumerFromStart(TOPIC, "catalog.events");
        Map<String, Integer> delivered = new java.util.HashMap<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ConsumerRecord<String, String> record :
                    org.modelmarket.catalog.KafkaTopics.drain(consumer, Duration.ofMillis(500))) {
                if (aggregates.contains(record.key())) {
                    delivered.merge(
                            objectMapper.readTree(record.value()).get("id").asText(), 1, Integer::sum);
                }
            }
            assertThat(delivered.keySet()).containsAll(expected.keySet());
        });
        // Count per event id: every outbox row exactly once, nothing else.
        assertThat(delivered).isEqualTo(expected);
        // Created (2 state + ... ) per listing: sanity that the outage run produced a real volume of events.
        assertThat(expected.size()).isGreaterThanOrEqualTo(fixtures.size() * 8);
    }

    @Test
    void lifecycleTransitionsAreDomainEventsCarryingTheAggregateVersion() throws IOException {
        org.modelmarket.catalog.Catalog.Fixture fixture = org.modelmarket.catalog.Catalog.inStatus("published");
        consumer.close(Duration.ofSeconds(1));
        consumer = new org.modelmarket.catalog.KafkaTopics(bootstrapServers).consumerFromStart("catalog.events");
        List<JsonNode> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (ConsumerRecord<String, String> record :
                    org.modelmarket.catalog.KafkaTopics.drain(consumer, Duration.ofMillis(300))) {
                if (fixture.listingId().equals(record.key())) {
                    events.add(objectMapper.readTree(record.value()));
                }
            }
            assertThat(events).hasSize(3);
        });
        assertThat(events)
                .extracting(e -> e.get("type").asText())
                .containsExactly(
                        "org.modelmarket.catalog.ListingCreated",
                        "org.modelmarket.catalog.ListingSubmitted",
                        "org.modelmarket.catalog.ListingPublished");
        assertThat(events).extracting(e -> e.get("aggregateversion").asLong()).containsExactly(1L, 2L, 3L);
        JsonNode published = events.get(2);
        assertThat(published.at("/data/listingId").asText()).isEqualTo(fixture.listingId());
        assertThat(published.at("/data/id").asText()).isEqualTo(fixture.id());
        assertThat(published.at("/data/aggregateVersion").asLong()).isEqualTo(3);
        assertThat(published.at("/data/actor").asText()).isEqualTo("root");
        assertThat(published.at("/data/from").asText()).isEqualTo("submitted");
        assertThat(published.at("/data/to").asText()).isEqualTo("published");
        JsonNode fixtureEvent;
        try (InputStream in = getClass().getResourceAsStream("/events/listing-published.json")) {
            assertThat(in).as("fixture events/listing-published.json").isNotNull();
            fixtureEvent = objectMapper.readTree(in);
        }
        assertThat(shape(published)).isEqualTo(shape(fixtureEvent));
    }

    private static String post(String namespace, String name) {
        return given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON)
                .body(Listings.body(namespace, name))
                .when()
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .extract()
                .asString();
    }

    private ConsumerRecord<String, String> awaitRecord(String key, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        if (key.equals(record.key())) {
                            found.add(record);
                        }
                    }
                    return !found.isEmpty();
                });
        return found.get(0);
    }

    private boolean isSent(UUID eventId) {
        return pool.preparedQuery("select sent_at is not null as sent from outbox where id = $1")
                .execute(Tuple.of(eventId))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getBoolean("sent");
    }

    private long unsentRowsFor(Set<String> aggregateIds) {
        return pool.preparedQuery("select count(*) as n from outbox where aggregateid = any($1) and sent_at is null")
                .execute(Tuple.of(aggregateIds.toArray(String[]::new)))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong("n");
    }

    private static Set<String> paths(Set<String> shape) {
        Set<String> paths = new TreeSet<>();
        shape.forEach(path -> paths.add(path.substring(0, path.lastIndexOf(':'))));
        return paths;
    }

    /** Field paths and JSON node types, e.g. {@code data.tags:ARRAY}; values differ between events, shapes may not. */
    private static Set<String> shape(JsonNode node) {
        Set<String> shape = new TreeSet<>();
        collect("", node, shape);
        return shape;
    }

    private static void collect(String path, JsonNode node, Set<String> shape) {
        // Nullable fields (baseModel, successor, ...) are null in some events: their type is compared when set.
        shape.add(path + ":" + (node.isNull() ? "nullable" : node.getNodeType()));
        if (node.isNull()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), shape);
            }
        }
    }
}
