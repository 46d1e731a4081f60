package org.modelmarket.artifact.outbox;

import io.smallrye.mutiny.Uni;

/** Publishes one outbox record to the broker (a port; the adapter is {@link KafkaEventPublisher}). */
public interface EventPublisher {

    /** Completes once the broker has acknowledged the record, fails otherwise. */
    Uni<Void> publish(OutboxRecord record);
}
