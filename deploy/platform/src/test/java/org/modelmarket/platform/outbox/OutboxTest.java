package org.modelmarket.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.modelmarket.platform.Kafka;
import org.modelmarket.platform.testapp.WidgetConsumer;
import org.modelmarket.platform.testapp.WidgetService;
import org.modelmarket.platform.tracing.TraceContext;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writer, trigger and relay end to end against real PostgreSQL and Kafka: a write's event reaches Kafka at commit
 * (the poll is 1 h in this app, so only the trigger's notification can have woken the relay), as a CloudEvent with
 * this service's source, and the request's trace continues through the outbox row, the Kafka record and the consumer.
 */
@QuarkusTest
class OutboxTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Inject
    WidgetConsumer consumer;

    @Inject
    WidgetService widgets;

    @Inject
    OutboxRelayService relayService;

    @Test
    void anEventReachesKafkaAtCommitWithTheRequestsTraceInItsEnvelopeHeadersAndConsumer() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String id = given().contentType("application/json")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body("{\"name\":\"traced\"}")
                .post("/widgets")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        List<ConsumerRecord<String, String>> records = Kafka.readAll(
                stack.kafka().bootstrapServers(),
                WidgetService.TOPIC,
                Duration.ofSeconds(30),
                found -> found.stream().anyMatch(r -> id.equals(r.key())));
        ConsumerRecord<String, String> record =
                records.stream().filter(r -> id.equals(r.key())).findFirst().orElseThrow();

        JsonNode event = json.readTree(record.value());
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("source").asText()).isEqualTo("/platform-test");
        assertThat(event.path("type").asText()).isEqualTo(WidgetService.TYPE);
        assertThat(event.path("subject").asText()).isEqualTo(id);
        assertThat(event.path("aggregateversion").asLong()).isEqualTo(1);
        assertThat(event.path("data").path("name").asText()).isEqualTo("traced");
        assertThat(TraceContext.traceId(event.path("traceparent").asText())).isEqualTo(traceId);
        assertThat(Kafka.header(record, "content-type")).isEqualTo("application/cloudevents+json");
        assertThat(TraceContext.traceId(Kafka.header(record, "traceparent"))).isEqualTo(traceId);

        String eventId = event.path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.traceIdOf(eventId) != null);
        assertThat(consumer.traceIdOf(eventId)).isEqualTo(traceId);

        // The row keeps the trace context (Debezium's column name) and is marked sent.
        var row = pool.preparedQuery("select tracingspancontext, sent_at from outbox where aggregateid = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        assertThat(TraceContext.traceId(row.getString("tracingspancontext"))).isEqualTo(traceId);
        assertThat(row.getValue("sent_at")).isNotNull();
        assertThat(relayService.relay().isLeader()).isTrue();
    }

    @Inject
    io.opentelemetry.sdk.trace.samplers.Sampler sampler;

    @Test
    void withoutAnOtlpEndpointNothingIsRecordedOrExported() {
        assertThat(sampler.getDescription()).isEqualTo("AlwaysOffSampler");
    }

    @Test
    void appendingOutsideATransactionFailsInsteadOfCommittingAnEventAlone() {
        long before = count();
        Throwable failure = null;
        try {
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> widgets.appendWithoutTransaction());
        } catch (Throwable e) {
            failure = e;
        }
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("@WithTransaction");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aFailedWriteLeavesNoEvent() {
        long before = count();
        given().contentType("application/json")
                .body("{\"name\":\"\"}")
                .post("/widgets")
                .then()
                .statusCode(400);
        assertThat(count()).isEqualTo(before);
    }

    private long count() {
        return pool.query("select count(*) from outbox")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }
}
