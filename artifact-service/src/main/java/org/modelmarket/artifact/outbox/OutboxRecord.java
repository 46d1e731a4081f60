package org.modelmarket.artifact.outbox;

import java.util.UUID;

/**
 * An unsent outbox row as the relay sees it.
 *
 * @param key the Kafka record key (the aggregate id)
 * @param payload the CloudEvent JSON, the record value
 */
public record OutboxRecord(UUID id, long seq, String topic, String key, String type, String payload) {
}
