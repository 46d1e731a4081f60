package org.modelmarket.platform.outbox;

import io.smallrye.mutiny.Uni;

/** Publishes one outbox row to the broker (a port; the adapter is {@link KafkaEventPublisher}). */
public interface EventPublisher {

    /** Completes once the broker has acknowledged the record, fails otherwise. */
    Uni<Void> publish(OutboxRecord record);
}
