package org.modelmarket.platform.consumer;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;

/**
 * The processed-event table (Debezium's {@code MessageLog}) that makes a consumer idempotent: the event id is inserted
 * in the consumer's own transaction, together with the event's effect, and an id seen before means "skip". Rows older
 * than {@code modelmarket.consumer.processed-events.retention} are purged.
 */
@ApplicationScoped
@IfBuildProperty(name = "modelmarket.consumer.processed-events.enabled", stringValue = "true")
public class ProcessedEvents {

    private static final Logger LOG = Logger.getLogger(ProcessedEvents.class);

    private final ConsumerConfig config;
    private final String insertSql;
    private final String purgeSql;

    public ProcessedEvents(ConsumerConfig config) {
        this.config = config;
        String table = config.processedEvents().table();
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Invalid processed-event table name " + table);
        }
        this.insertSql =
                "insert into " + table + " (consumer, event_id) values (:consumer, :id) on conflict do nothing";
        this.purgeSql = "delete from " + table + " where processed_at < :cutoff";
    }

    /**
     * Records that {@code consumer} processes {@code eventId}, in the current transaction; {@code true} the first
     * time, {@code false} for a redelivery (then the caller applies nothing). Must run inside the transaction that
     * applies the event ({@code @WithTransaction} / {@code Panache.withTransaction}), or the two could part.
     *
     * @param consumer a stable name of the consumer (e.g. its channel), so that two consumers of one event are
     *        independent
     */
    public Uni<Boolean> firstTime(String consumer, String eventId) {
        return Panache.currentTransaction().chain(transaction -> {
            if (transaction == null) {
                return Uni.createFrom()
                        .failure(new IllegalStateException(
                                "ProcessedEvents.firstTime needs the consumer's transaction (@WithTransaction)"));
            }
            return Panache.getSession()
                    .chain(session -> session.createNativeQuery(insertSql)
                            .setParameter("consumer", consumer)
                            .setParameter("id", eventId)
                            .executeUpdate())
                    .map(count -> count > 0);
        });
    }

    /** Deletes ids processed before {@code cutoff}; returns how many. */
    public Uni<Integer> purgeBefore(Instant cutoff) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(purgeSql)
                        .setParameter("cutoff", cutoff)
                        .executeUpdate()));
    }

    @Scheduled(
            every = "${modelmarket.consumer.processed-events.purge-interval:1h}",
            delayed = "1m",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return purgeBefore(Instant.now().minus(config.processedEvents().retention()))
                .invoke(count -> LOG.debugf("Purged %d processed-event ids", count))
                .replaceWithVoid();
    }
}
