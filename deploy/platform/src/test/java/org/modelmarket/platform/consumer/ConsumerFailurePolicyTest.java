package org.modelmarket.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.modelmarket.platform.Kafka;
import org.modelmarket.platform.testapp.FeedConsumer;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.DeadLetters;
import org.modelmarket.stack.test.InjectLocalStack;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one failure policy on a real consumer (the README's recipe) against real Kafka and PostgreSQL: poison records
 * go to {@code <topic>.dlq} with their reason and original key, headers and offset while the records after them are
 * processed; a transient database failure is retried until it passes; redeliveries are applied once.
 */
@QuarkusTest
class ConsumerFailurePolicyTest {

    private static final String TOPIC = "platform.feed";

    @InjectLocalStack
    LocalStack stack;

    @Inject
    Pool pool;

    @Inject
    FeedConsumer consumer;

    @Inject
    MeterRegistry registry;

    static String event(String id, String aggregate, String version, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + FeedConsumer.TYPE
                + "\",\"subject\":\"" + aggregate + "\",\"time\":\"" + Instant.now() + "\""
                + (version == null ? "" : ",\"aggregateversion\":" + version) + ",\"data\":" + data + "}";
    }

    @Test
    void poisonRecordsAreDeadLetteredWithTheirReasonAndTheRecordsAfterThemAreApplied() {
        String key = "agg-" + UUID.randomUUID();
        double deadBefore = deadLettered();
        String notJson = "{not json";
        String noVersion = event(UUID.randomUUID().toString(), key, null, "{\"name\":\"no version\"}");
        String textVersion = event(UUID.randomUUID().toString(), key, "\"seven\"", "{\"name\":\"text version\"}");
        String invalidData = event(UUID.randomUUID().toString(), key, "3", "{\"name\":\"\"}");
        String good = UUID.randomUUID().toString();

        ProducerRecord<String, String> poison = new ProducerRecord<>(TOPIC, key, notJson);
        poison.headers().add("origin", "test-suite".getBytes(StandardCharsets.UTF_8));
        Kafka.send(bootstrap(), poison);
        Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, noVersion));
        Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, textVersion));
        Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, invalidData));
        Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, event(good, key, "4", "{\"name\":\"good\"}")));

        await().atMost(Duration.ofSeconds(30)).until(() -> applied(good));
        // At least once: a rebalance may dead-letter a record twice; each original record must be there once.
        List<ConsumerRecord<String, String>> dead = DeadLetters.firstOfEachOriginal(withKey(
                Kafka.readAll(
                        bootstrap(),
                        TOPIC + ".dlq",
                        Duration.ofSeconds(30),
                        found -> DeadLetters.firstOfEachOriginal(withKey(found, key))
                                        .size()
                                >= 4),
                key));

        assertThat(dead)
                .extracting(ConsumerRecord::value)
                .containsExactly(notJson, noVersion, textVersion, invalidData);
        assertThat(Kafka.header(dead.get(0), "dead-letter-reason")).startsWith("record value is not JSON");
        assertThat(Kafka.header(dead.get(0), "origin")).isEqualTo("test-suite");
        assertThat(Kafka.header(dead.get(0), "dead-letter-topic")).isEqualTo(TOPIC);
        assertThat(Kafka.header(dead.get(0), "dead-letter-offset")).matches("\\d+");
        assertThat(Kafka.header(dead.get(0), "dead-letter-partition")).matches("\\d+");
        assertThat(Kafka.header(dead.get(1), "dead-letter-reason")).contains("has no aggregateversion");
        assertThat(Kafka.header(dead.get(2), "dead-letter-reason")).contains("aggregateversion is not a whole number");
        assertThat(Kafka.header(dead.get(3), "dead-letter-reason")).contains("data.name must not be blank");
        assertThat(deadLettered() - deadBefore).isGreaterThanOrEqualTo(4);
        // None of the poison records was applied.
        assertThat(countApplied(key)).isEqualTo(1);
    }

    @Test
    void aTransientDatabaseFailureIsRetriedUntilItPassesAndNothingIsLost() {
        String key = "agg-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        pool.query("alter table feed_applied rename to feed_applied_away")
                .execute()
                .await()
                .indefinitely();
        int attemptsBefore = consumer.attempts();
        try {
            Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, event(id, key, "1", "{\"name\":\"later\"}")));
            // The database keeps failing: the record is retried (with backoff), neither applied nor dead-lettered.
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.attempts() - attemptsBefore >= 3);
        } finally {
            pool.query("alter table feed_applied_away rename to feed_applied")
                    .execute()
                    .await()
                    .indefinitely();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(id));
        assertThat(Kafka.readAll(bootstrap(), TOPIC + ".dlq", Duration.ofSeconds(2), found -> false))
                .noneMatch(r -> key.equals(r.key()));
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        String key = "agg-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        String value = event(id, key, "1", "{\"name\":\"once\"}");
        Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, value));
        Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, value));
        Kafka.send(bootstrap(), new ProducerRecord<>(TOPIC, key, event(marker, key, "2", "{\"name\":\"after\"}")));

        await().atMost(Duration.ofSeconds(30)).until(() -> applied(marker));
        assertThat(countApplied(key)).isEqualTo(2);
        assertThat(pool.preparedQuery("select count(*) from processed_event where consumer = 'feed' and event_id = $1")
                        .execute(Tuple.of(id))
                        .await()
                        .indefinitely()
                        .iterator()
                        .next()
                        .getLong(0))
                .isEqualTo(1);
    }

    private boolean applied(String eventId) {
        return pool.preparedQuery("select 1 from feed_applied where event_id = $1")
                        .execute(Tuple.of(eventId))
                        .await()
                        .indefinitely()
                        .size()
                == 1;
    }

    private static List<ConsumerRecord<String, String>> withKey(
            List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    private long countApplied(String aggregate) {
        return pool.preparedQuery("select count(*) from feed_applied where aggregate_id = $1")
                .execute(Tuple.of(aggregate))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private double deadLettered() {
        return registry.find("modelmarket.consumer.dead.lettered").tag("channel", "feed").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private String bootstrap() {
        return stack.kafka().bootstrapServers();
    }
}
