package org.modelmarket.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.modelmarket.platform.Kafka;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Two relay replicas on one database, one of them a separate JVM killed with {@code kill -9} in the middle of a
 * drain. What it proves, against real PostgreSQL and Kafka:
 * <ul>
 * <li>while the child leads, the app's replica publishes nothing (it waits for the lease);</li>
 * <li>after the kill, the app's replica takes the lease over by itself and every row is published and marked sent:
 * no row is lost;</li>
 * <li>no replica publishes a row twice, and a row is published by both only if it was in the killed replica's last
 * batch (acknowledged by the broker, not yet marked sent): at most one batch of duplicates, with the same CloudEvent
 * id, which consumers deduplicate. So "exactly once" holds for every row except that batch;</li>
 * <li>per aggregate, the first publication of each event follows the aggregate's order.</li>
 * </ul>
 * It logs the hand-over time (kill to the new leader's lease) and each replica's throughput, the figures of the
 * README; they are measured, never asserted.
 */
@QuarkusTest
class OutboxFailoverTest {

    private static final Logger LOG = Logger.getLogger(OutboxFailoverTest.class);
    private static final String TOPIC = "platform.failover";
    private static final int ROWS = 6000;
    private static final int AGGREGATES = 25;
    private static final int CHILD_BATCH = 200;

    @InjectLocalStack
    LocalStack stack;

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Inject
    OutboxRelayService relayService;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @Test
    void aReplicaKilledMidDrainHandsOverAndEveryRowIsPublished() throws Exception {
        OutboxRelay app = relayService.relay();
        app.stop().await().atMost(Duration.ofSeconds(30));
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "relay-child-" + UUID.randomUUID() + ".log");
        Process child = startChild(log);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(log) && Files.readString(log).contains("LEADER"));
            app.start();
            // The app's replica now waits inside pg_advisory_lock.
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLease() == 1);
            assertThat(app.isLeader()).isFalse();

            List<UUID> ids = insertRows();
            Instant insertedAt = Instant.now();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> sent(ids) >= ROWS / 3);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the lease connection
            Instant killedAt = Instant.now();
            long sentByChild = sent(ids);
            assertThat(sentByChild).isLessThan(ROWS);

            await().atMost(Duration.ofSeconds(120)).until(() -> sent(ids) == ROWS);
            Instant takeover = app.leaderSince();
            assertThat(takeover).isAfter(killedAt);
            long handOverMs = Duration.between(killedAt, takeover).toMillis();

            List<ConsumerRecord<String, String>> records = Kafka.readAll(
                    stack.kafka().bootstrapServers(),
                    TOPIC,
                    Duration.ofSeconds(60),
                    found -> distinctIds(found)
                            .containsAll(ids.stream().map(UUID::toString).toList()));
            Map<String, Integer> byChild = new HashMap<>();
            Map<String, Integer> byApp = new HashMap<>();
            Map<String, List<Long>> firstVersions = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<String, String> record : records) {
                var event = json.readTree(record.value());
                String id = event.path("id").asText();
                ("child".equals(Kafka.header(record, "relay")) ? byChild : byApp).merge(id, 1, Integer::sum);
                if (seen.add(id)) {
                    firstVersions
                            .computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(event.path("aggregateversion").asLong());
                }
            }
            Set<String> duplicates = new HashSet<>(byChild.keySet());
            duplicates.retainAll(byApp.keySet());

            assertThat(seen)
                    .containsExactlyInAnyOrderElementsOf(
                            ids.stream().map(UUID::toString).toList());
            assertThat(byChild.values()).allMatch(count -> count == 1);
            assertThat(byApp.values()).allMatch(count -> count == 1);
            assertThat(duplicates.size()).isLessThanOrEqualTo(CHILD_BATCH);
            assertThat(byChild).isNotEmpty();
            assertThat(byApp).isNotEmpty();
            firstVersions.values().forEach(versions -> assertThat(versions).isSorted());

            Row appRate = pool.preparedQuery("select count(*) as n, extract(epoch from max(sent_at) - $2) as s "
                            + "from outbox where id = any($1) and sent_at >= $2")
                    .execute(Tuple.of(
                            ids.toArray(UUID[]::new), OffsetDateTime.ofInstant(takeover, java.time.ZoneOffset.UTC)))
                    .await()
                    .indefinitely()
                    .iterator()
                    .next();
            double childSeconds = Duration.between(insertedAt, killedAt).toMillis() / 1000.0;
            double appRowsPerSecond = appRate.getLong("n") / Math.max(0.001, appRate.getDouble("s"));
            double producerRowsPerSecond = rawProducerRate(records.subList(0, ROWS));
            LOG.infof(
                    "FAILOVER FIGURES: %d rows, 2 replicas; child published %d rows before kill -9 (%.0f rows/s incl."
                            + " its start); hand-over after kill: %d ms; app replica then published %d rows at %.0f rows/s;"
                            + " duplicates (killed replica's unmarked batch): %d; the same records through a plain idempotent"
                            + " producer in this run: %.0f rows/s (relay = %.0f%% of it)",
                    ROWS,
                    sentByChild,
                    sentByChild / childSeconds,
                    handOverMs,
                    appRate.getLong("n"),
                    appRowsPerSecond,
                    duplicates.size(),
                    producerRowsPerSecond,
                    100 * appRowsPerSecond / producerRowsPerSecond);
        } finally {
            child.destroyForcibly();
            if (!app.isLeader()) {
                app.start();
            }
        }
    }

    /**
     * The baseline of the throughput figure: the same number of records, same sizes, sent by a plain idempotent
     * producer (acks=all) as fast as it goes, in the same run on the same broker.
     */
    private double rawProducerRate(List<ConsumerRecord<String, String>> sample) throws Exception {
        try (var producer = Kafka.producer(stack.kafka().bootstrapServers())) {
            // Warm-up: the topic is created and its metadata fetched before the clock starts.
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("platform.baseline", "warm-up", "{}"))
                    .get();
            long begin = System.nanoTime();
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ConsumerRecord<String, String> record : sample) {
                acks.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        "platform.baseline", record.key(), record.value())));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
            return sample.size() / ((System.nanoTime() - begin) / 1e9);
        }
    }

    private Process startChild(Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                RelayProcess.class.getName(),
                url,
                "platform",
                "platform",
                stack.kafka().bootstrapServers(),
                String.valueOf(CHILD_BATCH));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private long waitingForLease() {
        long key = OutboxRelay.lockKey("outbox");
        return pool.preparedQuery("select count(*) from pg_locks where locktype = 'advisory' and not granted "
                        + "and ((classid::bigint << 32) | objid::bigint) = $1")
                .execute(Tuple.of(key))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    /** One transaction, one commit, one notification: the relay then drains at full speed. */
    private List<UUID> insertRows() {
        List<UUID> ids = new ArrayList<>();
        List<Tuple> batch = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            String aggregate = "agg-" + (i % AGGREGATES);
            long version = i / AGGREGATES + 1;
            String payload = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/failover-test\","
                    + "\"type\":\"org.modelmarket.test.Counted\",\"subject\":\"" + aggregate
                    + "\",\"aggregateversion\":"
                    + version + ",\"data\":{}}";
            batch.add(Tuple.of(id, aggregate, version, payload));
        }
        pool.withTransaction(connection -> connection
                        .preparedQuery("insert into outbox (id, aggregatetype, aggregateid,"
                                + " aggregateversion, type, topic, payload) values ($1, 'counter', $2, $3, 'org.modelmarket.test.Counted', '"
                                + TOPIC + "', $4::text::jsonb)")
                        .executeBatch(batch))
                .await()
                .atMost(Duration.ofSeconds(60));
        return ids;
    }

    private long sent(List<UUID> ids) {
        return pool.preparedQuery("select count(*) from outbox where id = any($1) and sent_at is not null")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private Set<String> distinctIds(List<ConsumerRecord<String, String>> records) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                ids.add(json.readTree(record.value()).path("id").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }
}
