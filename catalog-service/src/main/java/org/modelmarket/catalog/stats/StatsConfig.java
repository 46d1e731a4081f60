package org.modelmarket.catalog.stats;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the stats projection ({@code modelmarket.catalog.stats.*}). */
@ConfigMapping(prefix = "modelmarket.catalog.stats")
public interface StatsConfig {

    /** How often stats-only changes are published: at most one state event per listing per interval (min 1 s). */
    @WithDefault("1s")
    Duration coalesceInterval();

    /** When the rolling 7/30-day download windows are refreshed (Quartz cron, daily). */
    @WithDefault("0 5 0 * * ?")
    String windowRefreshCron();

    /** Most listings whose changed stats are published per coalescer run. */
    @WithDefault("200")
    int batchSize();
}
