package org.modelmarket.artifact.listing.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Publishes catalog events the way catalog-service does (structured CloudEvents, key = listing id), starting from
 * the producer's example event so that tests exercise the real shape.
 */
public final class ListingEvents {

    /** The producer's example, copied from catalog-service's test fixtures. */
    public static final String FIXTURE = "/events/listing-changed.json";

    private static final String TOPIC = "catalog.listings";
    /** Where the consumer's failure policy sends records it can never use. */
    public static final String DLQ = TOPIC + ".dlq";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ListingEvents() {}

    /** The fixture as text. */
    public static String fixture() {
        try (InputStream in = ListingEvents.class.getResourceAsStream(FIXTURE)) {
            if (in == null) {
                throw new IllegalStateException("Missing test fixture " + FIXTURE);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture with this listing's identity, version, visibility and owners. */
    public static String listingChanged(
            UUID listingId, String namespace, String name, long version, String visibility, List<String> owners) {
        try {
            ObjectNode event = (ObjectNode) MAPPER.readTree(fixture());
            event.put("id", UUID.randomUUID().toString());
            event.put("subject", listingId.toString());
            event.put("aggregateversion", version);
            ObjectNode data = (ObjectNode) event.get("data");
            data.put("listingId", listingId.toString());
            data.put("id", namespace + "/" + name);
            data.put("namespace", namespace);
            data.put("name", name);
            data.put("visibility", visibility);
            data.put("version", version);
            ArrayNode ownerArray = data.putArray("owners");
            owners.forEach(ownerArray::add);
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture for a listing with a price type ({@code free}, {@code paid}, {@code trial}) and gate terms. */
    public static String listingChanged(
            UUID listingId,
            String namespace,
            String name,
            long version,
            String visibility,
            List<String> owners,
            String priceType,
            String gateTerms) {
        try {
            ObjectNode event = (ObjectNode)
                    MAPPER.readTree(listingChanged(listingId, namespace, name, version, visibility, owners));
            ObjectNode data = (ObjectNode) event.get("data");
            data.put("priceType", priceType);
            data.put("gated", gateTerms != null);
            data.put("gateTerms", gateTerms);
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one record to any topic and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            if (value != null) {
                record.headers().add("content-type", "application/cloudevents+json".getBytes());
            }
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish to " + topic, e);
        }
    }

    /** Sends one record (a null value is a tombstone) and waits for the broker's acknowledgement. */
    public static void send(UUID listingId, String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, listingId.toString(), value);
            if (value != null) {
                record.headers().add("content-type", "application/cloudevents+json".getBytes());
            }
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish to " + TOPIC, e);
        }
    }
    /** The dead-lettered record with this key, if it is on {@link #DLQ} (read from the beginning, for a few seconds). */
    public static Optional<ConsumerRecord<String, String>> deadLettered(String key) {
        return deadLettered(DLQ, key);
    }

    /** The record with this key on {@code dlq}, read from the beginning for a few seconds. */
    public static Optional<ConsumerRecord<String, String>> deadLettered(String dlq, String key) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlq, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(dlq, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        return Optional.of(record);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A header of a record as text, {@code null} when absent. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
