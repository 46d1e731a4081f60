package org.modelmarket.platform.consumer;

import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;

/**
 * The product's one failure strategy for Kafka consumers ({@code failure-strategy=}{@value #STRATEGY}): SmallRye's
 * own dead-letter queue, plus a metric and a log line for every record it dead-letters, and the topic naming rule.
 * <p>
 * A record whose processing failed (the method's {@code Uni} failed, which the recipe's {@code @Retry} lets happen only
 * for a {@link PoisonRecordException}) is sent by SmallRye to {@code dead-letter-queue.topic}, which must be
 * {@code <topic>.dlq}, with the original key, headers and value and the headers {@code dead-letter-reason},
 * {@code dead-letter-cause}, {@code dead-letter-topic}, {@code dead-letter-partition}, {@code dead-letter-offset} and
 * {@code dead-letter-exception-class-name}; then it is acknowledged and the channel carries on. Counted in
 * {@code modelmarket.consumer.dead.lettered} (tags {@code channel}, {@code topic}, {@code exception}).
 * <p>
 * At least once: a rebalance between the send to the DLQ and the commit of the original offset dead-letters the record
 * again, with the same {@code dead-letter-topic}, {@code dead-letter-partition} and {@code dead-letter-offset}.
 */
@ApplicationScoped
@Identifier(DeadLetterFailureHandler.STRATEGY)
@IfBuildProperty(name = "modelmarket.consumer.enabled", stringValue = "true")
public class DeadLetterFailureHandler implements KafkaFailureHandler.Factory {

    /** The value of {@code mp.messaging.incoming.<channel>.failure-strategy}. */
    public static final String STRATEGY = "modelmarket-dlq";
    /** Suffix of every dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private static final Logger LOG = Logger.getLogger(DeadLetterFailureHandler.class);

    private final KafkaFailureHandler.Factory deadLetterQueue;
    private final MeterRegistry registry;

    public DeadLetterFailureHandler(
            @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE) KafkaFailureHandler.Factory deadLetterQueue,
            MeterRegistry registry) {
        this.deadLetterQueue = deadLetterQueue;
        this.registry = registry;
    }

    @Override
    public KafkaFailureHandler create(
            KafkaConnectorIncomingConfiguration config,
            Vertx vertx,
            KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        String channel = config.getChannel();
        String topic = config.getTopic().orElse(channel);
        String expected = topic + DLQ_SUFFIX;
        String configured = config.getDeadLetterQueueTopic().orElse(null);
        if (!expected.equals(configured)) {
            // Fail at start-up, not at the first poison record: a misnamed dead-letter topic is found by nobody.
            throw new IllegalStateException("Set mp.messaging.incoming." + channel + ".dead-letter-queue.topic="
                    + expected + " (the product's dead-letter topic naming); it is " + configured);
        }
        KafkaFailureHandler delegate = deadLetterQueue.create(config, vertx, consumer, reportFailure);
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                registry.counter(
                                "modelmarket.consumer.dead.lettered",
                                "channel",
                                channel,
                                "topic",
                                record.getTopic(),
                                "exception",
                                reason.getClass().getSimpleName())
                        .increment();
                LOG.warnf(
                        "Dead-lettering %s partition %d offset %d (key %s) to %s: %s",
                        record.getTopic(),
                        record.getPartition(),
                        record.getOffset(),
                        record.getKey(),
                        expected,
                        reason.getMessage());
                return delegate.handle(record, reason, metadata);
            }

            @Override
            public void terminate() {
                delegate.terminate();
            }
        };
    }
}
