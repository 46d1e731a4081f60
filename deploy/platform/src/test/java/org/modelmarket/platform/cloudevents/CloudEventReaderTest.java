package org.modelmarket.platform.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.platform.consumer.PoisonRecordException;
import org.modelmarket.platform.testapp.FeedConsumer;

import io.quarkus.test.junit.QuarkusTest;

/** The envelope writer and reader: what is a usable event and what is a poison record. */
@QuarkusTest
class CloudEventReaderTest {

    @Inject
    CloudEventReader reader;

    @Inject
    CloudEventWriter writer;

    @Test
    void writtenEventsReadBack() {
        UUID id = UUID.randomUUID();
        Instant time = Instant.parse("2026-11-29T10:00:00Z");
        String json = writer.write(writer.envelope(id, "org.modelmarket.test.X", "a-1", time, 7L, Map.of("name", "n")));

        assertThat(json)
                .startsWith("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/platform-test\","
                        + "\"type\":\"org.modelmarket.test.X\",\"subject\":\"a-1\",\"time\":\"2026-11-29T10:00:00Z\","
                        + "\"datacontenttype\":\"application/json\",\"aggregateversion\":7,");
        IncomingEvent event = reader.readState(json, "org.modelmarket.test.X");
        assertThat(event.id()).isEqualTo(id.toString());
        assertThat(event.aggregateVersion()).isEqualTo(7L);
        assertThat(event.time()).isEqualTo(time);
        assertThat(reader.data(event, FeedConsumer.FeedData.class).name()).isEqualTo("n");
    }

    @Test
    void anEventWithoutAggregateVersionIsNoStateEventButStillAnEvent() {
        String json = writer.write(writer.envelope(UUID.randomUUID(), "t", "s", Instant.now(), null, Map.of()));
        assertThat(json).doesNotContain("aggregateversion");
        assertThat(reader.read(json).aggregateVersion()).isNull();
        assertThatThrownBy(() -> reader.readState(json))
                .isInstanceOf(MalformedEventException.class)
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("has no aggregateversion");
    }

    @Test
    void malformedEnvelopesArePoison() {
        assertThatThrownBy(() -> reader.read("")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> reader.read("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> reader.read("{\"specversion\":\"1.0\",\"source\":\"/x\",\"type\":\"t\"}"))
                .hasMessageContaining("without id");
        assertThatThrownBy(
                        () -> reader.readState(
                                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\",\"aggregateversion\":1.5}"))
                .hasMessageContaining("not a whole number");
        assertThat(reader.readState(
                                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\",\"aggregateversion\":\"12\"}")
                        .aggregateVersion())
                .isEqualTo(12L);
        assertThatThrownBy(
                        () -> reader.read(
                                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\",\"time\":\"yesterday\"}"))
                .hasMessageContaining("time is not");
        assertThatThrownBy(() ->
                        reader.read("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\"}", "other"))
                .hasMessageContaining("expected other");
    }
}
