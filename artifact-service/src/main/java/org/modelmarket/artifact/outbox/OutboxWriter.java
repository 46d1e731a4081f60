package org.modelmarket.artifact.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Appends events to the outbox inside the caller's transaction: the event commits if and only if the state change
 * does. Callers run inside {@code @WithTransaction} or {@code Panache.withTransaction}, and wake the
 * {@link OutboxRelay} once that transaction has committed.
 */
@ApplicationScoped
public class OutboxWriter {

    private final OutboxEventRepository repository;
    private final ObjectMapper objectMapper;

    public OutboxWriter(OutboxEventRepository repository, ObjectMapper objectMapper) {
        this.repository = repository;
        this.objectMapper = objectMapper;
    }

    /**
     * Wraps {@code data} in a CloudEvent and stages it for {@code topic}.
     *
     * @param aggregateType outbox aggregatetype, e.g. {@code listing}
     * @param aggregateId the aggregate's id: CloudEvent subject and Kafka record key
     * @param type CloudEvent type
     * @param time when the change happened
     */
    public Uni<OutboxEvent> append(String topic, String aggregateType, String aggregateId, String type, Instant time,
            Object data) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.randomUUID();
        row.topic = topic;
        row.aggregateType = aggregateType;
        row.aggregateId = aggregateId;
        row.type = type;
        row.createdAt = time;
        try {
            row.payload = objectMapper.writeValueAsString(CloudEvent.of(row.id, type, aggregateId, time, data));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Cannot serialize event " + type, e));
        }
        return repository.persist(row);
    }
}
