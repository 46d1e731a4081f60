package org.modelmarket.search.rebuild.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;
import org.modelmarket.platform.consumer.PoisonRecordException;
import org.modelmarket.search.config.SearchConfig;
import org.modelmarket.search.index.IndexAdmin;
import org.modelmarket.search.index.IndexOperation;
import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.projection.CatalogListingReader;
import org.modelmarket.search.projection.ListingChange;
import org.modelmarket.search.projection.ListingProjector;
import org.modelmarket.search.rebuild.RebuildInProgressException;
import org.modelmarket.search.rebuild.RebuildStatus;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

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
 * One rebuild at a time per service instance, on the managed executor. Its Kafka consumer is made from the service's
 * own Kafka configuration (the {@code kafka.*} defaults and the {@code catalog-listings} channel's client settings), so
 * bootstrap servers, TLS and SASL configured once apply here too. A shutdown mid-rebuild cancels it before the swap:
 * the aliases keep pointing at the old index, the half-filled one is deleted, and the next start may rebuild again.
 */
@ApplicationScoped
public class RebuildService {

    private static final Logger LOG = Logger.getLogger(RebuildService.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    /** How long one bulk keeps being retried while Elasticsearch is unavailable before the rebuild gives up. */
    private static final Duration RETRY_BUDGET = Duration.ofMinutes(2);

    /** The channel whose Kafka client settings the rebuild's consumer shares. */
    private static final String CHANNEL_PREFIX = "mp.messaging.incoming.catalog-listings.";

    static final String METRIC = "modelmarket.search.rebuilds";

    private final IndexAdmin admin;
    private final CatalogListingReader reader;
    private final SearchConfig.Rebuild config;
    private final Map<String, Object> kafkaDefaults;
    private final Config settings;
    private final ManagedExecutor executor;
    private final MeterRegistry metrics;
    private final AtomicReference<RebuildStatus> status = new AtomicReference<>();
    private final AtomicReference<Running> running = new AtomicReference<>();

    public RebuildService(
            IndexAdmin admin,
            CatalogListingReader reader,
            SearchConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults,
            Config settings,
            ManagedExecutor executor,
            MeterRegistry metrics) {
        this.admin = admin;
        this.reader = reader;
        this.config = config.rebuild();
        this.kafkaDefaults = kafkaDefaults;
        this.settings = settings;
        this.executor = executor;
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
        RebuildStatus started =
                new RebuildStatus(RebuildStatus.RUNNING, "creating", target, null, Instant.now(), null, 0, 0, null);
        RebuildStatus previous = status.get();
        if ((previous != null && previous.running()) || !status.compareAndSet(previous, started)) {
            throw new RebuildInProgressException(
                    "A rebuild is already running (into " + status.get().targetIndex() + ")");
        }
        Running run = new Running();
        running.set(run);
        run.future = executor.submit(() -> run(started, run));
        return started;
    }

    /**
     * Cancels a running rebuild (at shutdown: a rebuild must not outlive the service, nor leave half its work
     * published). Before the swap the aliases stay on the old index; after it, only the old index's deletion is
     * skipped.
     */
    public void cancel(String reason) {
        Running run = running.get();
        if (run == null) {
            return;
        }
        run.reason = reason;
        KafkaConsumer<String, String> consumer = run.consumer;
        if (consumer != null) {
            consumer.wakeup(); // a consumer blocked in poll or a metadata call returns at once
        }
        Future<?> future = run.future;
        if (future != null) {
            future.cancel(true);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        cancel("the service is shutting down");
    }

    private void run(RebuildStatus started, Running run) {
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
                run.consumer = consumer;
                run.checkCancelled();
                List<TopicPartition> partitions = consumer.partitionsFor(config.topic()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                progress.phase("loading");
                copyUntil(consumer, consumer.endOffsets(partitions), target, progress);
                // a second pass shortens the tail that the old index alone holds at the swap
                progress.phase("catching-up");
                copyUntil(consumer, consumer.endOffsets(partitions), target, progress);
                progress.phase("swapping");
                run.checkCancelled();
                await(() -> admin.finishLoad(target));
                run.checkCancelled();
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
            metrics.counter(METRIC, "outcome", "completed").increment();
            LOG.infof(
                    "Rebuild into %s completed: %d records read, %d writes applied",
                    target, progress.read.get(), progress.written.get());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (run.reason != null) {
                LOG.warnf("Rebuild into %s cancelled in phase %s: %s", target, progress.phase, run.reason);
                progress.finish(RebuildStatus.FAILED, progress.phase, "cancelled: " + run.reason);
                metrics.counter(METRIC, "outcome", "cancelled").increment();
            } else {
                LOG.errorf(e, "Rebuild into %s failed in phase %s", target, progress.phase);
                progress.finish(RebuildStatus.FAILED, progress.phase, e.getMessage());
                metrics.counter(METRIC, "outcome", "failed").increment();
            }
            if (!swapped) {
                admin.delete(target)
                        .subscribe()
                        .with(ok -> {}, failure -> LOG.warnf("Could not delete %s: %s", target, failure));
            }
        }
    }

    /** Copies records into {@code target} until every partition's position reaches {@code end}. */
    private void copyUntil(
            KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end, String target, Progress progress)
            throws InterruptedException {
        List<IndexOperation> batch = new ArrayList<>();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("rebuild cancelled");
            }
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
        } catch (PoisonRecordException e) {
            // the live projection has dead-lettered it already (catalog.listings.dlq); the rebuild does not repeat that
            LOG.warnf(
                    "Rebuild skips the unreadable record %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
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
                LOG.warnf(
                        "Rebuild: Elasticsearch unavailable, retrying a bulk of %d in %d ms: %s",
                        operations.size(), backoff, e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(consumerConfig());
    }

    /**
     * The service's Kafka client settings ({@code kafka.*}, then the channel's own client keys such as
     * {@code security.protocol}, {@code ssl.*}, {@code sasl.*}), with what a group-less, commit-less reader needs on
     * top. Package-private for the test that checks nothing is hard-coded.
     */
    Map<String, Object> consumerConfig() {
        Map<String, Object> props = new java.util.HashMap<>(kafkaDefaults);
        for (String name : settings.getPropertyNames()) {
            if (name.startsWith(CHANNEL_PREFIX)) {
                String key = name.substring(CHANNEL_PREFIX.length());
                if (isClientSecurityKey(key)) {
                    settings.getOptionalValue(name, String.class).ifPresent(value -> props.put(key, value));
                }
            }
        }
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(500, config.batchSize())));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "search-service-rebuild");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    private static boolean isClientSecurityKey(String key) {
        return key.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                || key.equals("security.protocol")
                || key.startsWith("ssl.")
                || key.startsWith("sasl.");
    }

    private static <T> T await(Supplier<Uni<T>> call) {
        return call.get().await().atMost(CALL_TIMEOUT);
    }

    /** The running rebuild's handles, so that {@link #cancel} can stop it. */
    private static final class Running {

        volatile Future<?> future;
        volatile KafkaConsumer<String, String> consumer;
        volatile String reason;

        void checkCancelled() {
            if (reason != null) {
                throw new CancellationException(reason);
            }
        }
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
            status.set(new RebuildStatus(
                    state,
                    phase,
                    started.targetIndex(),
                    previous,
                    started.startedAt(),
                    finishedAt,
                    read.get(),
                    written.get(),
                    error));
        }
    }
}
