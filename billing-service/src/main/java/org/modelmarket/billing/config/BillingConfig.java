package org.modelmarket.billing.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** billing-service's own settings, under {@code modelmarket.billing}. */
@ConfigMapping(prefix = "modelmarket.billing")
public interface BillingConfig {

    Scheduler scheduler();

    Metering metering();

    Invoices invoices();

    Fees fees();

    Pricing pricing();

    BankTransfer bankTransfer();

    EntitlementCache entitlementCache();

    /** Recent entitlement decisions' inputs ({@code entitlement/service/EntitlementCache}). */
    interface EntitlementCache {
        /** Off: every lookup reads the database. */
        @WithDefault("true")
        boolean enabled();

        /** (listing, subject) pairs kept at most (least recently used go first). */
        @WithDefault("100000")
        long maxSize();

        /**
         * The longest an entry is kept: the staleness bound when the event of a change made on another replica does
         * not arrive (Kafka down or lagging); events normally drop entries about a second after the change.
         */
        @WithDefault("PT5S")
        Duration maxAge();
    }

    /** The built-in payment provider's account, printed on invoices. */
    interface BankTransfer {
        @WithDefault("ModelMarket")
        String payee();

        @WithDefault("unset")
        String account();
    }

    /** The timer of time-driven transitions. */
    interface Scheduler {
        /** How often due subscriptions and invoices are processed ({@code off} disables the timer). */
        @WithDefault("10s")
        String every();

        /** Rows claimed per transaction ({@code FOR UPDATE SKIP LOCKED}). */
        @WithDefault("100")
        int batchSize();
    }

    /** What vendors may price. */
    interface Pricing {
        /**
         * Whether plans may have a one-minute period: only for end-to-end tests (the launcher's test stack), which
         * need a period to end on the real stack in seconds; never on in a real deployment.
         */
        @WithDefault("false")
        boolean minutePeriods();
    }

    /** BatchMeterUsage rules. */
    interface Metering {
        /** How old a usage record may be (AWS: 6 hours). */
        @WithDefault("PT6H")
        Duration window();
    }

    /** Invoice terms. */
    interface Invoices {
        /** Time from issue to due date. */
        @WithDefault("P14D")
        Duration dueAfter();

        /** How long a subscription stays past_due before it expires. */
        @WithDefault("P14D")
        Duration pastDueGrace();
    }

    /** The marketplace fee taken from vendors' gross. */
    interface Fees {
        /** Percentage of gross, e.g. {@code 20} or {@code 12.5}. */
        @WithDefault("20")
        BigDecimal defaultPercent();

        /** Per listing price type ({@code paid}, {@code trial}), overriding the default. */
        Map<String, BigDecimal> perPriceType();
    }
}
