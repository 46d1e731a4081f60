package org.modelmarket.search.rebuild.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.modelmarket.search.config.SearchConfig;
import org.modelmarket.search.index.IndexAdmin;
import org.modelmarket.search.index.IndexOperation;
import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.projection.CatalogListingReader;
import org.modelmarket.search.projection.ListingChange;
import org.modelmarket.search.projection.ListingProjector;
import org.modelmarket.search.projection.MalformedEventException;
import org.modelmarket.search.rebuild.RebuildInProgressException;
import org.modelmarket.search.rebuild.RebuildStatus;

/**
 * Rebuilds the listing index from the compacted {@code catalog.listings} topic, while searches and the live
 * projection go on:
 * <ol>
 * <li>create a fresh concrete index (current mapping) and fill it with a consumer of its own (no group, no commits)
 * that reads every partition from the beginning to the end offsets taken at the start, then catches up once more;</li>
 * <li>move the read and write aliases to it in one {@code _aliases} request (searches never see a missing index);</li>
 * <li>replay the tail: the records published up to the swap, which the live projection may have applied to the old
 * index only. External versioning makes every double write harmless, and tombstones carry the highest version;</li>
 * <li>after a grace period, delete the old index (configurable).</li>
 * </ol>
 * One rebuild at a time per service instance.
 */
@ApplicationScoped
public class RebuildService {

    private static final Logger LOG = Logger.getLogger(RebuildService.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    /** How long one bulk keeps being retried while Elasticsearch is unavailable before the rebuild gives up. */
    private static final Duration RETRY_BUDGET = Duration.ofMinutes(2);

    private final IndexAdmin admin;
    private final CatalogListingReader reader;
    private final SearchConfig.Rebuild config;
    private final String bootstrapServers;
    private final MeterRegistry metrics;
    private final AtomicReference<RebuildStatus> status = new AtomicReference<>();

    public RebuildService(IndexAdmin admin, CatalogListingReader reader, SearchConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:19092") String bootstrapServers, MeterRegistry metrics) {
        this.admin = admin;
        this.reader = reader;
        this.config = config.rebuild();
        this.bootstrapServers = bootstrapServers;
        this.metrics = metrics;
    }

    /** The running or last rebuild of this instance. */
    public Optional<RebuildStatus> status() {
        return Optional.ofNullable(status.get());
    }

    /**
     * Starts a rebuild in the background.
     *
     * @throws RebuildInProgressException if one is running
     */
    public RebuildStatus start() {
        String target = admin.newIndexName();
        RebuildStatus started = new RebuildStatus(RebuildStatus.RUNNING, "creating", target, null, Instant.now(), null, 0, 0, null);
        RebuildStatus previous = status.get();
        if ((previous != null && previous.running()) || !status.compareAndSet(previous, started)) {
            throw new RebuildInProgressException("A rebuild is already running (into " + status.get().targetIndex() + ")");
        }
        Thread.ofPlatform().name("search-rebuild").daemon().start(() -> run(started));
        return started;
    }

    private void run(RebuildStatus started) {
        String target = started.targetIndex();
        Progress progress = new Progress(started);
        boolean swapped = false;
        try {
            Set<String> previous = new TreeSet<>(await(() -> admin.indicesOf(admin.readAlias())));
            previous.addAll(await(() -> admin.indicesOf(admin.writeAlias())));
            progress.previous = previous;
            await(() -> admin.createForLoad(target));
            LOG.infof("Rebuild: created %s; the aliases point at %s", target, previous);
            try (KafkaConsumer<String, String> consumer = consumer()) {
                List<TopicPartition> partitions = consumer.partitionsFor(config.topic()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                progress.phase("loading");
                copyUntil(consumer, consumer.endOffsets(partitions), target, progress);
                // a second pass shortens the tail that the old index alone holds at the swap
                progress.phase("catching-up");
                copyUntil(consumer, consumer.endOffsets(partitions), target, progress);
                progress.phase("swapping");
                await(() -> admin.finishLoad(target));
                await(() -> admin.swapAliases(target, previous));
                swapped = true;
                LOG.infof("Rebuild: aliases %s and %s now point at %s", admin.readAlias(), admin.writeAlias(), target);
                progress.phase("replaying-tail");
                copyUntil(consumer, consumer.endOffsets(partitions), target, progress);
            }
            if (config.deleteOldIndex()) {
                progress.phase("deleting-old-index");
                Thread.sleep(config.deleteGrace().toMillis());
                for (String old : previous) {
                    if (!old.equals(target)) {
                        await(() -> admin.delete(old));
                        LOG.infof("Rebuild: deleted the old index %s", old);
                    }
                }
            }
            progress.finish(RebuildStatus.COMPLETED, "done", null);
            metrics.counter("search.rebuilds", "outcome", "completed").increment();
            LOG.infof("Rebuild into %s completed: %d records read, %d writes applied", target, progress.read.get(),
                    progress.written.get());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf(e, "Rebuild into %s failed in phase %s", target, progress.phase);
            progress.finish(RebuildStatus.FAILED, progress.phase, e.getMessage());
            metrics.counter("search.rebuilds", "outcome", "failed").increment();
            if (!swapped) {
                admin.delete(target).subscribe().with(ok -> { }, failure -> LOG.warnf("Could not delete %s: %s", target, failure));
            }
        }
    }

    /** Copies records into {@code target} until every partition's position reaches {@code end}. */
    private void copyUntil(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end, String target,
            Progress progress) throws InterruptedException {
        List<IndexOperation> batch = new ArrayList<>();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                progress.read.incrementAndGet();
                toOperation(record).ifPresent(batch::add);
                if (batch.size() >= config.batchSize()) {
                    flush(batch, target, progress);
                }
            }
        }
        flush(batch, target, progress);
    }

    private Optional<IndexOperation> toOperation(ConsumerRecord<String, String> record) {
        try {
            ListingChange change = reader.read(record.key(), record.value());
            return ListingProjector.operation(change);
        } catch (MalformedEventException e) {
            LOG.warnf("Rebuild skips the unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private void flush(List<IndexOperation> batch, String target, Progress progress) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        List<IndexOperation> operations = List.copyOf(batch);
        batch.clear();
        long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
        long backoff = 200;
        while (true) {
            try {
                progress.written.addAndGet(await(() -> admin.bulk(target, operations)));
                progress.phase(progress.phase); // publish the counts
                return;
            } catch (IndexUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warnf("Rebuild: Elasticsearch unavailable, retrying a bulk of %d in %d ms: %s", operations.size(), backoff,
                        e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(500, config.batchSize())),
                ConsumerConfig.CLIENT_ID_CONFIG, "search-service-rebuild",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }

    private static <T> T await(Supplier<Uni<T>> call) {
        return call.get().await().atMost(CALL_TIMEOUT);
    }

    /** The mutable side of a running rebuild, published as {@link RebuildStatus} snapshots. */
    private final class Progress {

        final AtomicLong read = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final RebuildStatus started;
        volatile Set<String> previous;
        volatile String phase;

        Progress(RebuildStatus started) {
            this.started = started;
            this.phase = started.phase();
        }

        void phase(String next) {
            phase = next;
            publish(RebuildStatus.RUNNING, null, null);
        }

        void finish(String state, String lastPhase, String error) {
            phase = lastPhase;
            publish(state, Instant.now(), error);
        }

        private void publish(String state, Instant finishedAt, String error) {
            status.set(new RebuildStatus(state, phase, started.targetIndex(), previous, started.startedAt(), finishedAt,
                    read.get(), written.get(), error));
        }
    }
}
