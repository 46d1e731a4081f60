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
        LOG.infof("ListingChanged arrived %d ms after the POST returned",
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
        Row row = pool.preparedQuery("select aggregateid, aggregatetype, type, topic, sent_at from outbox where id = $1")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(row.getString("aggregateid")).isEqualTo(listingId);
        assertThat(row.getString("aggregatetype")).isEqualTo("listing");
        assertThat(row.getString("topic")).isEqualTo(TOPIC);
        await().atMost(Duration.ofSeconds(5)).until(() -> isSent(eventId));
    }

    @Test
    void publishedEventHasTheShapeOfTheContractFixture() throws IOException {
        JsonNode created = objectMapper.readTree(post(Listings.freshNamespace(), "shape"));
        JsonNode published = objectMapper.readTree(
                awaitRecord(created.get("listingId").asText(), Duration.ofSeconds(15)).value());

        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/events/listing-changed.json")) {
            assertThat(in).as("fixture events/listing-changed.json").isNotNull();
            fixture = objectMapper.readTree(in);
        }
        assertThat(shape(published)).isEqualTo(shape(fixture));
    }

    @Test
    void brokerOutageDelaysEventsAndLosesNone() throws IOException {
        stack.kafka().close();
        String listingId;
        try {
            listingId = objectMapper.readTree(post(Listings.freshNamespace(), "during-outage"))
                    .get("listingId").asText();
            // The write succeeds without Kafka; its event waits in the outbox.
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> unsentRowsFor(listingId) == 1);
        } finally {
            stack.kafka().start();
        }
        consumer.close(Duration.ofSeconds(1));
        openConsumer();
        ConsumerRecord<String, String> record = awaitRecord(listingId, Duration.ofSeconds(90));
        assertThat(objectMapper.readTree(record.value()).at("/data/listingId").asText()).isEqualTo(listingId);
        await().atMost(Duration.ofSeconds(10)).until(() -> unsentRowsFor(listingId) == 0);
    }

    private static String post(String namespace, String name) {
        return given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON).body(Listings.body(namespace, name))
                .when().post("/api/v1/listings")
                .then().statusCode(201)
                .extract().asString();
    }

    private ConsumerRecord<String, String> awaitRecord(String key, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
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
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getBoolean("sent");
    }

    private long unsentRowsFor(String aggregateId) {
        return pool.preparedQuery("select count(*) as n from outbox where aggregateid = $1 and sent_at is null")
                .execute(Tuple.of(aggregateId)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    /** Field paths and JSON node types, e.g. {@code data.tags:ARRAY}; values differ between events, shapes may not. */
    private static Set<String> shape(JsonNode node) {
        Set<String> shape = new TreeSet<>();
        collect("", node, shape);
        return shape;
    }

    private static void collect(String path, JsonNode node, Set<String> shape) {
        shape.add(path + ":" + node.getNodeType());
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), shape);
            }
        }
    }
}
