package org.modelmarket.search.projection;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plays catalog-service in tests: publishes records to catalog.listings with a plain Kafka producer. */
public final class CatalogListingsProducer implements AutoCloseable {

    public static final String TOPIC = "catalog.listings";

    private final KafkaProducer<String, String> producer;

    public CatalogListingsProducer() {
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName()));
    }

    /** Publishes one listing state as a structured CloudEvent and waits for the broker's acknowledgement. */
    public void publish(ListingEvents.Listing listing) {
        send(listing.listingId(), listing.toCloudEvent());
    }

    /** Publishes a tombstone: the listing was deleted. */
    public void tombstone(String listingId) {
        send(listingId, null);
    }

    public void send(String key, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, key, value);
        if (value != null) {
            record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish to " + TOPIC, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
