package org.modelmarket.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.modelmarket.platform.cloudevents.CloudEvent;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;

/**
 * {@link EventPublisher} on the producer of the SmallRye Kafka channel {@value #CHANNEL}.
 * <p>
 * The producer is the channel's own ({@link KafkaClientService#getProducer}), so it is configured (TLS, SASL, acks,
 * idempotence) by {@code mp.messaging.outgoing.outbox.*}, health-checked, measured and closed by Quarkus. A batch goes
 * to it in one go rather than message by message through the emitter: the relay's throughput is bounded by how many
 * records wait for the broker's acknowledgement at once, and per-message emitter sends capped that at the emitter's
 * buffer (a few hundred rows/s on a loaded broker; see the platform README's figures). The emitter is injected only so
 * that the channel, and with it the producer, exists.
 * <p>
 * Each record carries the row's W3C {@code traceparent} as a header, so the consumer's span continues the trace of the
 * request that wrote the row, not of the relay.
 */
@ApplicationScoped
@IfBuildProperty(name = "modelmarket.outbox.enabled", stringValue = "true")
public class KafkaEventPublisher implements EventPublisher {

    /** The outgoing channel every service configures for its outbox. */
    public static final String CHANNEL = "outbox";

    private static final byte[] CLOUD_EVENTS_JSON = CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final KafkaClientService clients;

    public KafkaEventPublisher(KafkaClientService clients, @Channel(CHANNEL) MutinyEmitter<String> channel) {
        this.clients = clients;
    }

    @Override
    public Uni<Sent> publish(List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(new Sent(List.of(), null));
        }
        KafkaProducer<String, String> producer = clients.getProducer(CHANNEL);
        if (producer == null) {
            return Uni.createFrom()
                    .item(new Sent(List.of(), new IllegalStateException("Channel outbox has no producer")));
        }
        // send() may block (metadata, a full buffer), so it runs on the producer's own sending thread.
        Function<Producer<String, String>, CompletableFuture<Sent>> send = kafka -> sendAll(kafka, records, List.of());
        return producer.runOnSendingThread(send).chain(sent -> Uni.createFrom().completionStage(sent));
    }

    /**
     * Hands every row to {@code producer} in row order (the idempotent producer keeps that order per partition) and
     * completes when each has been acknowledged or has failed. A row that cannot even be handed over ends the batch:
     * the rows after it are not sent and are retried with it.
     */
    static CompletableFuture<Sent> sendAll(
            Producer<String, String> producer, List<OutboxRecord> records, List<Header> extraHeaders) {
        int count = records.size();
        AtomicIntegerArray acked = new AtomicIntegerArray(count);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        AtomicInteger pending = new AtomicInteger(count);
        CompletableFuture<Sent> done = new CompletableFuture<>();
        Runnable settleOne = () -> {
            if (pending.decrementAndGet() == 0) {
                List<UUID> ids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    if (acked.get(i) == 1) {
                        ids.add(records.get(i).id());
                    }
                }
                done.complete(new Sent(ids, firstFailure.get()));
            }
        };
        for (int i = 0; i < count; i++) {
            int index = i;
            try {
                producer.send(toKafka(records.get(i), extraHeaders), (metadata, failure) -> {
                    if (failure == null) {
                        acked.set(index, 1);
                    } else {
                        firstFailure.compareAndSet(null, failure);
                    }
                    settleOne.run();
                });
            } catch (RuntimeException failure) {
                firstFailure.compareAndSet(null, failure);
                for (int unsent = i; unsent < count; unsent++) {
                    settleOne.run();
                }
                break;
            }
        }
        return done;
    }

    private static ProducerRecord<String, String> toKafka(OutboxRecord record, List<Header> extraHeaders) {
        ProducerRecord<String, String> kafka = new ProducerRecord<>(record.topic(), record.key(), record.payload());
        kafka.headers().add(new RecordHeader("content-type", CLOUD_EVENTS_JSON));
        if (record.traceparent() != null) {
            kafka.headers().add("traceparent", record.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        extraHeaders.forEach(kafka.headers()::add);
        return kafka;
    }
}
