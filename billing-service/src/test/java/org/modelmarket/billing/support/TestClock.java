package org.modelmarket.billing.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Singleton;

/**
 * The clock of the test application (replaces the production {@code Clock.systemUTC()}, a default bean): it starts
 * at the real time and only moves when a test moves it, so trial ends, renewals and due dates are reached on demand.
 */
@Singleton
public class TestClock extends Clock {

    private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Moves to {@code instant}; the clock never goes back (other tests' data would see time reversed). */
    public void moveTo(Instant instant) {
        if (instant.isBefore(now)) {
            throw new IllegalArgumentException("The test clock does not go back: " + instant + " < " + now);
        }
        now = instant;
    }

    /** Moves to 07:00 UTC on the first day of the next month: the month closed, its invoices due to be issued. */
    public void toNextMonth() {
        moveTo(YearMonth.from(now.atOffset(ZoneOffset.UTC))
                .plusMonths(1)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .plus(Duration.ofHours(7)));
    }
}
