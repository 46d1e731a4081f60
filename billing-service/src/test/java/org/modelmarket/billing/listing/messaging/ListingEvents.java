package org.modelmarket.billing.listing.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Publishes catalog events the way catalog-service does (structured CloudEvents, key = listing id), starting from
 * the producer's example event so that tests exercise the real shape.
 */
public final class ListingEvents {

    /** The producer's example, copied from catalog-service's test fixtures. */
    public static final String FIXTURE = "/events/listing-changed.json";
    private static final String TOPIC = "catalog.listings";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ListingEvents() {
    }

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

    /** The fixture with this listing's identity, version and price type. */
    public static String listingChanged(UUID listingId, String namespace, String name, long version,
            String priceType) {
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
            data.put("priceType", priceType);
            data.put("version", version);
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one record (a null value is a tombstone) and waits for the broker's acknowledgement. */
    public static void send(UUID listingId, String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
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
}
