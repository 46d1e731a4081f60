package org.modelmarket.catalog.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as PostgreSQL keeps them (microseconds), so what we return equals what we later read back. */
public final class Clock {

    private Clock() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
