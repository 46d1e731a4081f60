package org.modelmarket.platform.consumer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.modelmarket.platform.Kafka;
import org.modelmarket.platform.testapp.WidgetService;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** After a broker restart, the consumer resumes and the relay publishes again, without a restart of the service. */
@QuarkusTest
class BrokerRestartTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    Pool pool;

    @Test
    void consumerAndRelayResumeAfterTheBrokerRestarts() {
        stack.kafka().restart();

        String key = "agg-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        Kafka.send(
                stack.kafka().bootstrapServers(),
                new ProducerRecord<>(
                        "platform.feed",
                        key,
                        ConsumerFailurePolicyTest.event(id, key, "1", "{\"name\":\"after restart\"}")));
        await().atMost(Duration.ofSeconds(90))
                .until(() -> pool.preparedQuery("select 1 from feed_applied where event_id = $1")
                                .execute(Tuple.of(id))
                                .await()
                                .indefinitely()
                                .size()
                        == 1);

        String widget = given().contentType("application/json")
                .body("{\"name\":\"after restart\"}")
                .post("/widgets")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        await().atMost(Duration.ofSeconds(90))
                .until(() -> Kafka.readAll(
                                stack.kafka().bootstrapServers(),
                                WidgetService.TOPIC,
                                Duration.ofSeconds(2),
                                found -> found.stream().anyMatch(r -> widget.equals(r.key())))
                        .stream()
                        .anyMatch(r -> widget.equals(r.key())));
    }
}
