package org.modelmarket.platform.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the transactional outbox ({@code modelmarket.outbox.*}), the same keys in every service. */
@ConfigMapping(prefix = "modelmarket.outbox")
public interface OutboxConfig {

    /**
     * Build time: turns the outbox beans (writer, relay, purge) on. A service with an outbox table sets it to
     * {@code true}; the others (no PostgreSQL, no Kafka) leave the beans out.
     */
    @WithDefault("false")
    boolean enabled();

    /** Whether this replica takes part in the relay's leader election (off, e.g., when a CDC connector relays). */
    @WithDefault("true")
    boolean relayEnabled();

    /** The outbox table; also the PostgreSQL notification channel its trigger signals. */
    @WithDefault("outbox")
    String table();

    /**
     * The safety-net poll of the leader: retries after a broker failure and picks up rows whose notification was
     * missed. Fresh rows do not wait for it: the insert trigger's notification wakes the relay at commit.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** Most rows read and published per batch; the relay loops while batches come back full. */
    @WithDefault("1000")
    int batchSize();

    /** How long to wait for the broker's acknowledgements of a batch before it ends (rows retried later). */
    @WithDefault("30s")
    Duration sendTimeout();

    /** Pause before a replica reconnects after losing (or failing to open) its lease connection. */
    @WithDefault("1s")
    Duration reconnectDelay();

    /** How long sent rows are kept (audit, replays) before the purge deletes them. */
    @WithDefault("P7D")
    Duration retention();

    /** How often the leader purges sent rows older than {@link #retention()}. */
    @WithDefault("1h")
    Duration purgeInterval();
}
