package org.modelmarket.artifact.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** The relay's ordering and retry rules, with an in-memory outbox and broker. */
class OutboxRelayTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MemoryStore store = new MemoryStore();
    private final MemoryBroker broker = new MemoryBroker();
    private final OutboxRelay relay = new OutboxRelay(store, broker, config(3), registry);

    @Test
    void publishesEveryUnsentRowInSeqOrderAcrossBatchesAndMarksThemSent() {
        store.add(7);

        assertThat(drain()).isEqualTo(7);

        assertThat(broker.published).extracting(OutboxRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(store.unsent()).isEmpty();
        assertThat(registry.counter("modelmarket.outbox.published").count()).isEqualTo(7);
    }

    @Test
    void stopsAtTheFirstFailureAndResumesThereOnTheNextDrain() {
        store.add(5);
        broker.failOnSeq = 3;

        assertThat(drain()).isEqualTo(2);
        assertThat(store.unsent()).extracting(OutboxRecord::seq).containsExactly(3L, 4L, 5L);
        assertThat(registry.counter("modelmarket.outbox.failures").count()).isEqualTo(1);

        broker.failOnSeq = -1;
        assertThat(drain()).isEqualTo(3);
        // Nothing overtook the failed row, nothing went out twice.
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

    private int drain() {
        return relay.drain().await().atMost(Duration.ofSeconds(5));
    }

    private static ArtifactConfig config(int batchSize) {
        ArtifactConfig.Outbox outbox = new ArtifactConfig.Outbox() {
            @Override
            public Duration pollInterval() {
                return Duration.ofSeconds(1);
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
        return new ArtifactConfig() {
            @Override
            public Upload upload() {
                throw new UnsupportedOperationException("the relay does not upload");
            }

            @Override
            public Blob blob() {
                throw new UnsupportedOperationException("the relay does not store blobs");
            }

            @Override
            public Outbox outbox() {
                return outbox;
            }
        };
    }

    /** Outbox rows in memory; each test drains from one thread. */
    private static final class MemoryStore implements OutboxStore {
        private final List<OutboxRecord> rows = new ArrayList<>();
        private final Set<UUID> sent = new HashSet<>();
        boolean failFetch;

        void add(int count) {
            for (int i = 0; i < count; i++) {
                long seq = rows.size() + 1;
                rows.add(new OutboxRecord(UUID.randomUUID(), seq, "artifact.downloads", "listing-" + (seq % 2),
                        "test", "{\"seq\":" + seq + "}"));
            }
        }

        List<OutboxRecord> unsent() {
            return rows.stream().filter(row -> !sent.contains(row.id())).toList();
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

    /** A broker that acknowledges every record but the one with seq {@code failOnSeq}. */
    private static final class MemoryBroker implements EventPublisher {
        final List<OutboxRecord> published = new ArrayList<>();
        long failOnSeq = -1;

        @Override
        public Uni<Void> publish(OutboxRecord record) {
            if (record.seq() == failOnSeq) {
                return Uni.createFrom().failure(new IllegalStateException("broker down"));
            }
            published.add(record);
            return Uni.createFrom().voidItem();
        }
    }
}
