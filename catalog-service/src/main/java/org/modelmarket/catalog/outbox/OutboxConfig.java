package org.modelmarket.catalog.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the outbox relay. */
@ConfigMapping(prefix = "catalog.outbox")
public interface OutboxConfig {

    /**
     * How often the relay polls for unsent rows: the retry period during a broker outage. Fresh events do not wait
     * for it, the relay is woken right after each commit that wrote events. At least 1 s (Quarkus scheduler).
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** Most rows published per batch; the relay loops while batches come back full. */
    @WithDefault("100")
    int batchSize();

    /** How long to wait for the broker's acknowledgement of one record before giving up on the batch. */
    @WithDefault("30s")
    Duration sendTimeout();

    /** How long sent rows are kept (for audit and replays) before the purge deletes them. */
    @WithDefault("P7D")
    Duration retention();
}
