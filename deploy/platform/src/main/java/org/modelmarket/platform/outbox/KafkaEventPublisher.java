package org.modelmarket.platform.outbox;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.modelmarket.platform.cloudevents.CloudEvent;
import org.modelmarket.platform.tracing.TraceContext;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * {@link EventPublisher} on the SmallRye Reactive Messaging Kafka channel {@value #CHANNEL}.
 * <p>
 * Why an emitter rather than a hand-made {@code KafkaProducer}: the producer is then configured (TLS, SASL),
 * health-checked, measured, traced and closed by Quarkus like any other channel ({@code mp.messaging.outgoing.outbox.*}),
 * and {@link MutinyEmitter#sendMessage} completes only when the connector acknowledges the message, which it does after
 * the broker's ack. Topic and key come from the row (metadata). The row's trace context becomes the parent of the
 * connector's producer span, whose {@code traceparent} header the consumer continues: the trace of the request that
 * wrote the row, not of the relay.
 */
@ApplicationScoped
@IfBuildProperty(name = "modelmarket.outbox.enabled", stringValue = "true")
public class KafkaEventPublisher implements EventPublisher {

    /** The outgoing channel every service configures for its outbox. */
    public static final String CHANNEL = "outbox";

    private static final byte[] CLOUD_EVENTS_JSON = CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final MutinyEmitter<String> emitter;

    public KafkaEventPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> publish(OutboxRecord record) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic())
                .withKey(record.key())
                .addHeaders(new RecordHeader("content-type", CLOUD_EVENTS_JSON))
                .build();
        Message<String> message = Message.of(record.payload()).addMetadata(metadata);
        if (record.traceparent() != null) {
            message = message.addMetadata(
                    TracingMetadata.withCurrent(TraceContext.fromTraceparent(record.traceparent())));
        }
        return emitter.sendMessage(message);
    }
}
