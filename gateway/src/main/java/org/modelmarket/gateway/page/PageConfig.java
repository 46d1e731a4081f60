package org.modelmarket.gateway.page;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The aggregated model page's settings. */
@ConfigMapping(prefix = "modelmarket.gateway.page")
public interface PageConfig {

    /**
     * How long the page waits for each backing service. A part that is not back by then is left out with a warning,
     * so one slow service costs the page at most this long instead of failing it.
     */
    @WithDefault("2s")
    Duration partTimeout();

    /** Files listed in the page's file summary (largest first); the summary's counts and sizes cover every file. */
    @WithDefault("20")
    int files();

    /** Versions listed on the page (newest first). */
    @WithDefault("10")
    int versions();
}
