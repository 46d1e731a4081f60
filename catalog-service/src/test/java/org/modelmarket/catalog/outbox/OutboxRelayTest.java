package org.modelmarket.catalog.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;

/** The relay's ordering and retry rules, with an in-memory outbox and broker. */
class OutboxRelayTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeStore store = new FakeStore();
    private final FakeBroker broker = new FakeBroker();
    private final OutboxRelay relay = new OutboxRelay(store, broker, config(3), registry);

    @Test
    void publishesEveryUnsentRowInSeqOrderAcrossBatchesAndMarksThemSent() {
        store.add(7);

        assertThat(drain()).isEqualTo(7);

        assertThat(broker.published).extracting(OutboxRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(store.unsent()).isEmpty();
        assertThat(registry.counter("catalog.outbox.published").count()).isEqualTo(7);
    }

    @Test
    void stopsAtTheFirstFailureAndRetriesFromThereOnTheNextDrain() {
        store.add(5);
        broker.failOnSeq = 3;

        assertThat(drain()).isEqualTo(2);
        assertThat(broker.published).extracting(OutboxRecord::seq).containsExactly(1L, 2L);
        assertThat(store.unsent()).extracting(OutboxRecord::seq).containsExactly(3L, 4L, 5L);
        assertThat(registry.counter("catalog.outbox.failures").count()).isEqualTo(1);

        broker.failOnSeq = -1;
        assertThat(drain()).isEqualTo(3);
        assertThat(broker.published).extracting(OutboxRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.unsent()).isEmpty();
    }

    @Test
    void aFailingStoreEndsTheDrainWithoutFailingIt() {
        store.add(2);
        store.failFetch = true;

        assertThat(drain()).isZero();
        assertThat(broker.published).isEmpty();
    }

    @Test
    void aDrainRequestedWhileDrainingRunsOnceMoreInsteadOfInParallel() {
        store.add(1);
        broker.holdAcks = true;
        UniAssertSubscriber<Integer> first = relay.drain().subscribe().withSubscriber(UniAssertSubscriber.create());

        // A row committed while the first drain waits for the broker.
        store.add(1);
        UniAssertSubscriber<Integer> second = relay.drain().subscribe().withSubscriber(UniAssertSubscriber.create());
        second.assertCompleted().assertItem(0);
        assertThat(broker.published).hasSize(1);

        broker.holdAcks = false;
        broker.releaseHeld();

        first.awaitItem(Duration.ofSeconds(5)).assertItem(2);
        assertThat(broker.published).extracting(OutboxRecord::seq).containsExactly(1L, 2L);
        assertThat(store.unsent()).isEmpty();
    }

    private int drain() {
        return relay.drain().await().atMost(Duration.ofSeconds(5));
    }

    private static OutboxConfig config(int batchSize) {
        return new OutboxConfig() {
            @Override
            public Duration pollInterval() {
                return Duration.ofMillis(200);
            }

            @Override
            public int batchSize() {
                return batchSize;
            }

            @Override
            public Duration sendTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration retention() {
                return Duration.ofDays(7);
            }
        };
    }

    /** Outbox rows in memory. */
    private static final class FakeStore implements OutboxStore {
        private final List<OutboxRecord> rows = Collections.synchronizedList(new ArrayList<>());
        private final Set<UUID> sent = Collections.synchronizedSet(new HashSet<>());
        private long nextSeq = 1;
        boolean failFetch;

        void add(int count) {
            for (int i = 0; i < count; i++) {
                long seq = nextSeq++;
                rows.add(new OutboxRecord(UUID.randomUUID(), seq, "catalog.listings", "aggregate-" + (seq % 2),
                        "test", seq, "{\"seq\":" + seq + "}"));
            }
        }

        List<OutboxRecord> unsent() {
            synchronized (rows) {
                return rows.stream().filter(row -> !sent.contains(row.id())).toList();
            }
        }

        @Override
        public Uni<List<OutboxRecord>> fetchUnsent(int limit) {
            if (failFetch) {
                return Uni.createFrom().failure(new IllegalStateException("database down"));
            }
            return Uni.createFrom().item(() -> unsent().stream().limit(limit).toList());
        }

        @Override
        public Uni<Void> markSent(UUID id) {
            sent.add(id);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Integer> purgeSentBefore(Instant cutoff) {
            return Uni.createFrom().item(0);
        }
    }

    /** A broker that acknowledges, fails on one seq, or holds acknowledgements until released. */
    private static final class FakeBroker implements EventPublisher {
        final List<OutboxRecord> published = Collections.synchronizedList(new ArrayList<>());
        final List<UniEmitter<? super Void>> held = Collections.synchronizedList(new ArrayList<>());
        volatile long failOnSeq = -1;
        volatile boolean holdAcks;

        @Override
        public Uni<Void> publish(OutboxRecord record) {
            return Uni.createFrom().emitter(emitter -> {
                if (record.seq() == failOnSeq) {
                    emitter.fail(new IllegalStateException("broker down"));
                    return;
                }
                published.add(record);
                if (holdAcks) {
                    held.add(emitter);
                } else {
                    emitter.complete(null);
                }
            });
        }

        void releaseHeld() {
            List<UniEmitter<? super Void>> toRelease;
            synchronized (held) {
                toRelease = new ArrayList<>(held);
                held.clear();
            }
            toRelease.forEach(emitter -> emitter.complete(null));
        }
    }
}
