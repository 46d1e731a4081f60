package org.modelmarket.artifact.outbox;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Publishes outbox rows to Kafka and marks them sent: at-least-once, in seq order, never two drains at once.
 * <p>
 * A drain reads unsent rows oldest first, publishes them one by one, awaiting each broker ack before marking the row
 * sent, and stops the batch at the first failure, so a later event never overtakes an earlier one. Unsent rows stay
 * for the next drain: a Kafka outage delays events and loses none. A crash between the ack and the mark republishes
 * the row (consumers deduplicate by event id).
 * <p>
 * Drains are triggered by {@link #wakeUp()} right after a commit that wrote events, and by a poll every
 * {@code modelmarket.artifact.outbox.poll-interval}, which retries after failures and picks up rows whose wake-up was
 * lost (e.g. a crash right after the commit). One relay per database is assumed: several replicas need a lease
 * (e.g. a PostgreSQL advisory lock).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxStore store;
    private final EventPublisher publisher;
    private final ArtifactConfig.Outbox config;

    private final Counter published;
    private final Counter failures;

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean drainAgain = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();

    public OutboxRelay(OutboxStore store, EventPublisher publisher, ArtifactConfig config, MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.config = config.outbox();
        this.published = Counter.builder("modelmarket.outbox.published")
                .description("Outbox events published to Kafka and marked sent")
                .register(registry);
        this.failures = Counter.builder("modelmarket.outbox.failures")
                .description("Relay batches ended early by a database or broker failure (rows retried later)")
                .register(registry);
    }

    /** Asks for a drain now (fire and forget); called right after a commit that appended events. */
    public void wakeUp() {
        drain().subscribe().with(sent -> {
        }, failure -> LOG.warn("Outbox drain failed", failure));
    }

    @Scheduled(every = "${modelmarket.artifact.outbox.poll-interval:1s}", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return drain().replaceWithVoid();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return store.purgeSentBefore(Instant.now().minus(config.retention()))
                .invoke(count -> LOG.debugf("Purged %d sent outbox rows", count))
                .replaceWithVoid();
    }

    /**
     * Publishes every unsent row it can; returns how many were published. If a drain is already running, this one
     * only asks it to run once more, so a row committed during a drain is not left for the next poll.
     */
    public Uni<Integer> drain() {
        return Uni.createFrom().deferred(() -> {
            if (!draining.compareAndSet(false, true)) {
                drainAgain.set(true);
                return Uni.createFrom().item(0);
            }
            drainAgain.set(false);
            return drainBatches(0)
                    .eventually(() -> draining.set(false))
                    .chain(sent -> drainAgain.get() ? drain().map(more -> sent + more) : Uni.createFrom().item(sent));
        });
    }

    private Uni<Integer> drainBatches(int sentSoFar) {
        return relayBatch().chain(batch -> {
            int sent = sentSoFar + batch.sent();
            return batch.more() ? drainBatches(sent) : Uni.createFrom().item(sent);
        });
    }

    /** One batch; never fails (failures are logged and end the batch). */
    private Uni<Batch> relayBatch() {
        int limit = config.batchSize();
        AtomicInteger sent = new AtomicInteger();
        return store.fetchUnsent(limit)
                .chain(records -> publishInOrder(records, sent)
                        .map(ignored -> new Batch(sent.get(), records.size() == limit)))
                .invoke(batch -> {
                    if (failing.compareAndSet(true, false)) {
                        LOG.info("Outbox relay recovered, publishing again");
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    failures.increment();
                    // Only the first failure of an outage is logged: the poll retries every second.
                    if (failing.compareAndSet(false, true)) {
                        LOG.warnf(failure, "Outbox relay cannot publish; %d sent before the failure, will retry",
                                sent.get());
                    }
                    return new Batch(sent.get(), false);
                });
    }

    private Uni<Void> publishInOrder(List<OutboxRecord> records, AtomicInteger sent) {
        // Concatenation publishes strictly one after the other and cancels the rest at the first failure.
        return Multi.createFrom().iterable(records)
                .onItem().transformToUniAndConcatenate(record -> publisher.publish(record)
                        .ifNoItem().after(config.sendTimeout()).fail()
                        .chain(() -> store.markSent(record.id()))
                        .invoke(() -> {
                            sent.incrementAndGet();
                            published.increment();
                            LOG.debugf("Published outbox row %d (%s) to %s, key %s", record.seq(), record.type(),
                                    record.topic(), record.key());
                        }))
                .collect().last()
                .replaceWithVoid();
    }

    /** Result of one batch: how many rows went out and whether more may be waiting. */
    private record Batch(int sent, boolean more) {
    }
}
