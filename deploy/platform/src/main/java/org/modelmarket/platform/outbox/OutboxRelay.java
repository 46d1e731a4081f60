package org.modelmarket.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Publishes outbox rows to Kafka and marks them sent. Any number of replicas may run one; exactly one of them, the
 * holder of the lease, publishes at a time.
 * <p>
 * <b>Lease.</b> Each replica opens one dedicated connection (not from the pool) and asks PostgreSQL for a
 * session-level advisory lock on it ({@code pg_advisory_lock}, key {@link #lockKey(String)}); the call waits inside
 * PostgreSQL until the lock is free. The holder is the leader. PostgreSQL releases the lock the moment the holder's
 * session ends: a clean stop closes the connection, and a process killed with {@code kill -9} has its socket closed by
 * the kernel, which the server sees at once. The next waiting replica's call then returns and it leads, without
 * polling; the hand-over takes milliseconds (measured in {@code OutboxFailoverTest}). A leader whose host vanishes
 * without closing the socket is noticed by TCP keepalive only: set the server's {@code tcp_keepalives_idle},
 * {@code tcp_keepalives_interval} and {@code tcp_keepalives_count} (or {@code tcp_user_timeout}) to bound that.
 * Why not a lease row with an expiry: hand-over would wait for the expiry and the leader would have to renew it.
 * Why not {@code FOR UPDATE SKIP LOCKED} claims: replicas would publish one aggregate's rows in parallel and lose
 * per-aggregate order unless claims were per aggregate, which needs the same kind of lock anyway.
 * <p>
 * <b>Fencing.</b> The leader reads rows and marks them sent on the lease connection itself, so a replica that lost its
 * session can neither read nor mark another row.
 * <p>
 * <b>Order.</b> Rows are read oldest first ({@code seq}) and sent in that order; the idempotent producer keeps the
 * order per partition while the whole batch awaits its acks. Per aggregate, {@code seq} order is
 * commit order when the writer takes the aggregate's row lock (or its optimistic version check) before appending, as
 * every service does. A batch that meets a failure marks what the broker acknowledged and stops; the rest is retried
 * on the next drain, oldest first.
 * <p>
 * <b>Delivery is at-least-once.</b> A row is marked sent only after the broker's ack. If the leader dies (or loses its
 * connection) after the ack and before the mark, the next leader publishes that row again: at most the rows of the
 * batch in flight, with the same CloudEvent id, which consumers deduplicate (processed-event table or
 * {@code aggregateversion}). No row is ever lost or skipped: a Kafka outage delays events, nothing more.
 * <p>
 * <b>Wake-up.</b> The outbox table's insert trigger calls {@code pg_notify('<table>', '')}; PostgreSQL delivers it
 * only when the inserting transaction commits, so the leader, which {@code LISTEN}s on the lease connection, drains
 * right after every commit that wrote events, in one place, whoever wrote them. A poll every {@code poll-interval}
 * is the safety net (retries after a broker failure, a notification lost with a connection).
 */
public final class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Settings of one relay (see {@link OutboxConfig}). */
    public record Settings(
            String table, int batchSize, Duration pollInterval, Duration sendTimeout, Duration reconnectDelay) {

        public static Settings of(OutboxConfig config) {
            return new Settings(
                    config.table(),
                    config.batchSize(),
                    config.pollInterval(),
                    config.sendTimeout(),
                    config.reconnectDelay());
        }
    }

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final EventPublisher publisher;
    private final Settings settings;
    private final String name;
    private final long lockKey;
    private final String fetchSql;
    private final String markSql;
    private final String purgeSql;

    private final Counter published;
    private final Counter failures;
    private final Counter purged;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<PgConnection> connection = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean drainAgain = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean connectFailing = new AtomicBoolean();
    private final AtomicInteger leader = new AtomicInteger();
    private volatile long pollTimer = -1;
    private volatile Instant campaigningSince;
    private volatile Instant leaderSince;

    /**
     * @param options a dedicated connection's options (the service's datasource, see {@link OutboxRelayService})
     * @param name this replica's name in log lines
     */
    public OutboxRelay(
            Vertx vertx,
            PgConnectOptions options,
            EventPublisher publisher,
            Settings settings,
            MeterRegistry registry,
            String name) {
        if (!settings.table().matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Invalid outbox table name " + settings.table());
        }
        this.vertx = vertx;
        this.options = new PgConnectOptions(options).setTcpKeepAlive(true);
        this.publisher = publisher;
        this.settings = settings;
        this.name = name;
        this.lockKey = lockKey(settings.table());
        String table = settings.table();
        this.fetchSql = "select id, seq, topic, aggregateid, type, payload::text as payload, tracingspancontext from "
                + table + " where sent_at is null order by seq limit $1";
        this.markSql = "update " + table + " set sent_at = now() where id = any($1)";
        this.purgeSql = "delete from " + table + " where sent_at < $1";
        this.published = Counter.builder("modelmarket.outbox.published")
                .description("Outbox rows published to Kafka and marked sent")
                .register(registry);
        this.failures = Counter.builder("modelmarket.outbox.failures")
                .description("Relay batches ended early by a database or broker failure (rows retried later)")
                .register(registry);
        this.purged = Counter.builder("modelmarket.outbox.purged")
                .description("Sent outbox rows deleted after the retention period")
                .register(registry);
        Gauge.builder("modelmarket.outbox.leader", leader, AtomicInteger::get)
                .description("1 while this replica holds the outbox lease and publishes, else 0")
                .register(registry);
    }

    /**
     * The advisory-lock key of the lease on {@code table}: a fixed high word ("MMOB") and the table name's hash, so
     * that it is stable across versions and readable in {@code pg_locks} ({@code classid}, {@code objid}).
     */
    public static long lockKey(String table) {
        return 0x4D4D_4F42_0000_0000L | (("modelmarket.outbox:" + table).hashCode() & 0xFFFF_FFFFL);
    }

    /** Starts campaigning for the lease (returns at once); the relay publishes once it leads. */
    public void start() {
        if (running.compareAndSet(false, true)) {
            campaign();
        }
    }

    /**
     * Stops: no new drain starts, the one running finishes (up to the send timeout), then the lease connection is
     * closed, which releases the lease to the next replica.
     */
    public Uni<Void> stop() {
        running.set(false);
        leader.set(0);
        cancelPoll();
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        return awaitIdle(deadline).chain(() -> {
            PgConnection current = connection.getAndSet(null);
            return current == null ? Uni.createFrom().voidItem() : current.close();
        });
    }

    /** When this replica last became the leader, or {@code null} if it never led. */
    public Instant leaderSince() {
        return leaderSince;
    }

    /** Whether this replica holds the lease now. */
    public boolean isLeader() {
        return leader.get() == 1;
    }

    private void campaign() {
        if (!running.get()) {
            return;
        }
        campaigningSince = Instant.now();
        PgConnection.connect(vertx, options).subscribe().with(this::onConnected, failure -> {
            if (connectFailing.compareAndSet(false, true)) {
                LOG.warnf(
                        "Outbox relay %s cannot connect to PostgreSQL (%s); retrying every %s",
                        name, failure.getMessage(), settings.reconnectDelay());
            }
            retryLater();
        });
    }

    private void onConnected(PgConnection opened) {
        connectFailing.set(false);
        if (!running.get()) {
            opened.closeAndForget();
            return;
        }
        connection.set(opened);
        opened.closeHandler(() -> onConnectionLost(opened));
        opened.exceptionHandler(e -> LOG.debugf("Outbox relay %s lease connection: %s", name, e.getMessage()));
        opened.notificationHandler(notification -> requestDrain());
        LOG.debugf("Outbox relay %s waits for the lease on %s", name, settings.table());
        // Waits inside PostgreSQL until the lock is free: no polling, and no hand-over delay beyond the server's.
        opened.preparedQuery("select pg_advisory_lock($1)")
                .execute(Tuple.of(lockKey))
                .chain(() -> opened.query("listen " + settings.table()).execute())
                .subscribe()
                .with(ignored -> becomeLeader(opened), failure -> {
                    LOG.debugf(
                            "Outbox relay %s lost its lease connection while waiting: %s", name, failure.getMessage());
                    opened.closeAndForget();
                });
    }

    private void becomeLeader(PgConnection lease) {
        if (!running.get() || connection.get() != lease) {
            lease.closeAndForget();
            return;
        }
        leaderSince = Instant.now();
        leader.set(1);
        LOG.infof(
                "Outbox relay %s holds the lease on table %s and publishes (waited %d ms)",
                name,
                settings.table(),
                Duration.between(campaigningSince, Instant.now()).toMillis());
        pollTimer = vertx.setPeriodic(Math.max(1, settings.pollInterval().toMillis()), id -> requestDrain());
        requestDrain();
    }

    private void onConnectionLost(PgConnection lost) {
        if (!connection.compareAndSet(lost, null)) {
            return;
        }
        boolean wasLeader = leader.getAndSet(0) == 1;
        cancelPoll();
        if (running.get()) {
            if (wasLeader) {
                LOG.warnf("Outbox relay %s lost its lease connection; campaigning again", name);
            }
            retryLater();
        }
    }

    private void retryLater() {
        if (running.get()) {
            vertx.setTimer(Math.max(1, settings.reconnectDelay().toMillis()), id -> campaign());
        }
    }

    private void cancelPoll() {
        long timer = pollTimer;
        pollTimer = -1;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void requestDrain() {
        drain().subscribe().with(sent -> {}, failure -> LOG.warnf(failure, "Outbox relay %s drain failed", name));
    }

    /**
     * Publishes every unsent row it can, when this replica leads; returns how many it published. A drain requested
     * while one runs makes that one loop once more (a row committed during a drain is not left for the poll).
     */
    public Uni<Integer> drain() {
        return Uni.createFrom().deferred(() -> {
            PgConnection lease = connection.get();
            if (!isLeader() || lease == null) {
                return Uni.createFrom().item(0);
            }
            if (!draining.compareAndSet(false, true)) {
                drainAgain.set(true);
                return Uni.createFrom().item(0);
            }
            drainAgain.set(false);
            return drainBatches(lease, 0)
                    .eventually(() -> draining.set(false))
                    .chain(sent -> drainAgain.get() && isLeader()
                            ? drain().map(more -> sent + more)
                            : Uni.createFrom().item(sent));
        });
    }

    private Uni<Integer> drainBatches(PgConnection lease, int sentSoFar) {
        return relayBatch(lease).chain(batch -> {
            int sent = sentSoFar + batch.sent();
            return batch.more() && isLeader()
                    ? drainBatches(lease, sent)
                    : Uni.createFrom().item(sent);
        });
    }

    /** One batch; never fails (a failure is counted, logged once per outage, and ends the drain). */
    private Uni<Batch> relayBatch(PgConnection lease) {
        int limit = settings.batchSize();
        return lease.preparedQuery(fetchSql)
                .execute(Tuple.of(limit))
                .map(OutboxRelay::records)
                .chain(records -> publish(records)
                        .chain(outcome -> markSent(lease, outcome.acked()).map(ignored -> {
                            if (outcome.failure() != null) {
                                throw new PublishFailedException(
                                        outcome.failure(), outcome.acked().size());
                            }
                            return new Batch(outcome.acked().size(), records.size() == limit);
                        })))
                .invoke(batch -> {
                    if (failing.compareAndSet(true, false)) {
                        LOG.infof("Outbox relay %s recovered, publishing again", name);
                    }
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    failures.increment();
                    int sent = failure instanceof PublishFailedException partial ? partial.acked : 0;
                    Throwable cause = failure instanceof PublishFailedException partial ? partial.getCause() : failure;
                    // Log the first failure of an outage only: the poll retries every second.
                    if (failing.compareAndSet(false, true)) {
                        LOG.warnf(
                                cause,
                                "Outbox relay %s cannot publish; %d sent before the failure, will retry",
                                name,
                                sent);
                    }
                    return new Batch(sent, false);
                });
    }

    /** Sends the batch; a batch not settled within the send timeout counts as failed (its rows are retried). */
    private Uni<EventPublisher.Sent> publish(List<OutboxRecord> records) {
        return publisher
                .publish(records)
                .ifNoItem()
                .after(settings.sendTimeout())
                .recoverWithItem(() -> new EventPublisher.Sent(
                        List.of(),
                        new IllegalStateException("No broker acknowledgement within " + settings.sendTimeout())));
    }

    private Uni<Void> markSent(PgConnection lease, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return lease.preparedQuery(markSql)
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .invoke(() -> {
                    published.increment(ids.size());
                    LOG.debugf("Outbox relay %s published %d rows", name, ids.size());
                })
                .replaceWithVoid();
    }

    /** Deletes rows sent before {@code cutoff} when this replica leads (one purger per database); returns how many. */
    public Uni<Integer> purgeSentBefore(Instant cutoff) {
        PgConnection lease = connection.get();
        if (!isLeader() || lease == null) {
            return Uni.createFrom().item(0);
        }
        return lease.preparedQuery(purgeSql)
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))
                .map(SqlResult::rowCount)
                .invoke(count -> purged.increment(count));
    }

    private Uni<Void> awaitIdle(long deadline) {
        if (!draining.get() || System.nanoTime() > deadline) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(Duration.ofMillis(20))
                .chain(() -> awaitIdle(deadline));
    }

    private static List<OutboxRecord> records(RowSet<Row> rows) {
        List<OutboxRecord> records = new ArrayList<>(rows.size());
        for (Row row : rows) {
            records.add(new OutboxRecord(
                    row.getUUID("id"),
                    row.getLong("seq"),
                    row.getString("topic"),
                    row.getString("aggregateid"),
                    row.getString("type"),
                    row.getString("payload"),
                    row.getString("tracingspancontext")));
        }
        return records;
    }

    /** Result of one batch: how many rows went out and whether more may be waiting. */
    private record Batch(int sent, boolean more) {}

    /** A batch that published some rows and then failed; carries how many were acknowledged and marked. */
    private static final class PublishFailedException extends RuntimeException {
        private final int acked;

        PublishFailedException(Throwable cause, int acked) {
            super(cause.getMessage(), cause, false, false);
            this.acked = acked;
        }
    }
}
