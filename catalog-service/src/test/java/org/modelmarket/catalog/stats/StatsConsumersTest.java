package org.modelmarket.catalog.stats;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.KafkaTopics;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.DeadLetters;
import org.modelmarket.stack.test.InjectLocalStack;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The stats consumers under the one failure policy, against the real Kafka: a poison record is dead-lettered with
 * its reason while the next record is counted, and the consumers resume after a broker restart.
 */
@QuarkusTest
class StatsConsumersTest {

    @InjectLocalStack
    LocalStack stack;

    private KafkaTopics kafka;

    @BeforeEach
    void open() {
        kafka = new KafkaTopics(stack.kafka().bootstrapServers());
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheNextOneIsCounted() {
        Fixture fixture = Catalog.inStatus("published");
        String key = fixture.listingId();
        String noListing = download(UUID.randomUUID().toString(), null);
        String wrongType = download(UUID.randomUUID().toString(), key).replace("FileDownloaded", "FileDeleted");
        kafka.send(StatsConsumers.DOWNLOADS, key, "not json at all");
        kafka.send(StatsConsumers.DOWNLOADS, key, noListing);
        kafka.send(StatsConsumers.DOWNLOADS, key, wrongType);
        kafka.send(StatsConsumers.DOWNLOADS, key, download(UUID.randomUUID().toString(), key));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get(fixture.path()).then().body("stats.downloads", equalTo(1)));
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = kafka.consumerFromStart(StatsConsumers.DOWNLOADS + ".dlq")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                KafkaTopics.drain(consumer, Duration.ofMillis(300)).stream()
                        .filter(record -> key.equals(record.key()))
                        .forEach(read::add);
                return DeadLetters.firstOfEachOriginal(read).size() >= 3;
            });
        }
        // At least once: a rebalance may dead-letter a record twice; each original record must be there once.
        List<ConsumerRecord<String, String>> dead = DeadLetters.firstOfEachOriginal(read);
        assertThat(dead).extracting(ConsumerRecord::value).containsExactly("not json at all", noListing, wrongType);
        assertThat(header(dead.get(0), "dead-letter-reason")).startsWith("record value is not JSON");
        assertThat(header(dead.get(1), "dead-letter-reason")).contains("data.listingId must not be null");
        assertThat(header(dead.get(2), "dead-letter-reason"))
                .contains("expected org.modelmarket.artifact.FileDownloaded");
        assertThat(header(dead.get(0), "dead-letter-topic")).isEqualTo(StatsConsumers.DOWNLOADS);
        assertThat(header(dead.get(0), "dead-letter-offset")).matches("\\d+");
    }

    @Test
    void theConsumersResumeAfterABrokerRestart() {
        Fixture fixture = Catalog.inStatus("published");
        stack.kafka().restart();

        kafka.send(
                StatsConsumers.DOWNLOADS,
                fixture.listingId(),
                download(UUID.randomUUID().toString(), fixture.listingId()));
        kafka.send(StatsConsumers.ENTITLEMENTS, fixture.listingId() + ":restart", entitlement(fixture.listingId()));

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> given().get(fixture.path())
                        .then()
                        .body("stats.downloads", equalTo(1))
                        .body("stats.subscribers", equalTo(1)));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String download(String id, String listingId) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/artifact-service\","
                + "\"type\":\"org.modelmarket.artifact.FileDownloaded\",\"subject\":\"" + listingId + "\","
                + "\"time\":\"" + Instant.now() + "\",\"data\":{"
                + (listingId == null ? "" : "\"listingId\":\"" + listingId + "\",")
                + "\"downloadedAt\":\"" + Instant.now() + "\"}}";
    }

    private static String entitlement(String listingId) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/billing-service\","
                + "\"type\":\"org.modelmarket.billing.EntitlementChanged\",\"subject\":\"" + listingId + ":restart\","
                + "\"time\":\"" + Instant.now() + "\",\"data\":{\"listingId\":\"" + listingId + "\","
                + "\"subject\":\"restart-buyer\",\"status\":\"active\",\"source\":\"subscription\"}}";
    }
}
