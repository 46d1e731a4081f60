package org.modelmarket.platform.outbox;

import java.util.UUID;

/**
 * An unsent outbox row as the relay publishes it.
 *
 * @param key the Kafka record key (the row's {@code aggregateid})
 * @param payload the CloudEvent JSON, the record value, byte for byte as written
 * @param traceparent the W3C trace context of the transaction that wrote the row ({@code tracingspancontext}), or
 *        {@code null}
 */
public record OutboxRecord(
        UUID id, long seq, String topic, String key, String type, String payload, String traceparent) {}
