package org.modelmarket.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.platform.cloudevents.CloudEvent;
import org.modelmarket.platform.cloudevents.CloudEventWriter;
import org.modelmarket.platform.tracing.TraceContext;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Appends events to the outbox inside the caller's Hibernate Reactive transaction: the event commits if and only if
 * the state change does, and the table's trigger wakes the relay at that commit (no wake-up call to place).
 * Callers must run inside {@code @WithTransaction} (or {@code Panache.withTransaction}); outside one, the append
 * fails rather than commit an event on its own.
 */
@ApplicationScoped
@IfBuildProperty(name = "modelmarket.outbox.enabled", stringValue = "true")
public class OutboxWriter {

    private final CloudEventWriter cloudEvents;
    private final String insertSql;

    public OutboxWriter(CloudEventWriter cloudEvents, OutboxConfig config) {
        this.cloudEvents = cloudEvents;
        if (!config.table().matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Invalid outbox table name " + config.table());
        }
        this.insertSql = "insert into " + config.table()
                + " (id, aggregatetype, aggregateid, aggregateversion, type, topic, payload, tracingspancontext,"
                + " created_at) values (:id, :aggregatetype, :aggregateid, :aggregateversion, :type, :topic,"
                + " cast(cast(:payload as text) as jsonb), :tracingspancontext, :created_at)";
    }

    /**
     * Wraps {@code data} in a CloudEvent (new id, this service's source, the current trace context) and stages it
     * for {@code topic}; returns the event id.
     *
     * @param aggregateType outbox {@code aggregatetype}, e.g. {@code listing}
     * @param aggregateId the aggregate's id: CloudEvent subject and Kafka record key
     * @param aggregateVersion the aggregate's state revision after the change ({@code aggregateversion}), or
     *        {@code null} for an event that is not about an aggregate's state
     * @param type CloudEvent type
     * @param time when the change happened
     */
    public Uni<UUID> append(
            String topic,
            String aggregateType,
            String aggregateId,
            Long aggregateVersion,
            String type,
            Instant time,
            Object data) {
        CloudEvent<Object> event =
                cloudEvents.envelope(UUID.randomUUID(), type, aggregateId, time, aggregateVersion, data);
        return append(topic, aggregateType, event);
    }

    /** Stages a complete envelope (its subject is the record key); returns the event id. */
    public Uni<UUID> append(String topic, String aggregateType, CloudEvent<?> event) {
        String payload = cloudEvents.write(event);
        String traceparent = event.traceparent() != null ? event.traceparent() : TraceContext.currentTraceparent();
        return Panache.currentTransaction()
                .chain(transaction -> {
                    if (transaction == null) {
                        return Uni.createFrom()
                                .failure(new IllegalStateException(
                                        "OutboxWriter.append needs the caller's transaction (@WithTransaction) for event "
                                                + event.type()));
                    }
                    return Panache.getSession()
                            .chain(session -> session.createNativeQuery(insertSql)
                                    .setParameter("id", event.id())
                                    .setParameter("aggregatetype", aggregateType)
                                    .setParameter("aggregateid", event.subject())
                                    .setParameter("aggregateversion", event.aggregateversion())
                                    .setParameter("type", event.type())
                                    .setParameter("topic", topic)
                                    .setParameter("payload", payload)
                                    .setParameter("tracingspancontext", traceparent)
                                    .setParameter("created_at", event.time())
                                    .executeUpdate());
                })
                .replaceWith(event.id());
    }
}
