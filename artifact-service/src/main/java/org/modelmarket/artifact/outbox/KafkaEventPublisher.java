package org.modelmarket.artifact.outbox;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * {@link EventPublisher} on a SmallRye Reactive Messaging Kafka emitter.
 * <p>
 * An emitter rather than a hand-made {@code KafkaProducer}: Quarkus configures, measures and closes the producer
 * like any other channel ({@code mp.messaging.outgoing.outbox.*}), and {@link MutinyEmitter#sendMessage} completes
 * only once the connector acknowledges the message, which it does after the broker's ack. Topic and key come from
 * the outbox row (metadata).
 */
@ApplicationScoped
public class KafkaEventPublisher implements EventPublisher {

    static final String CHANNEL = "outbox";

    private static final byte[] CLOUD_EVENTS_JSON = CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final MutinyEmitter<String> emitter;

    public KafkaEventPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> publish(OutboxRecord record) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(record.topic())
                .withKey(record.key())
                .addHeaders(new RecordHeader("content-type", CLOUD_EVENTS_JSON))
                .build();
        return emitter.sendMessage(Message.of(record.payload()).addMetadata(metadata));
    }
}
