package org.modelmarket.platform.outbox;

import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/** Publishes a batch of outbox rows to the broker (a port; the adapter is {@link KafkaEventPublisher}). */
public interface EventPublisher {

    /**
     * Sends the rows in order, all at once, and completes when every send has been acknowledged or has failed. Never
     * fails: the outcome says which rows the broker acknowledged and the first failure, if any.
     */
    Uni<Sent> publish(List<OutboxRecord> records);

    /**
     * What a batch came to.
     *
     * @param acked the ids of the rows the broker acknowledged
     * @param failure the first failure, or {@code null} when every row was acknowledged
     */
    record Sent(List<UUID> acked, Throwable failure) {}
}
