package org.modelmarket.platform.consumer;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of the consumer mechanics ({@code modelmarket.consumer.*}), the same keys in every service. */
@ConfigMapping(prefix = "modelmarket.consumer")
public interface ConsumerConfig {

    /**
     * Build time: turns on the dead-letter failure strategy {@value DeadLetterFailureHandler#STRATEGY} (needs
     * quarkus-messaging-kafka).
     */
    @WithDefault("false")
    boolean enabled();

    /** The processed-event table (needs Hibernate Reactive Panache and the scheduler). */
    ProcessedEvents processedEvents();

    /** Settings of the processed-event table. */
    interface ProcessedEvents {

        /** Build time: turns on {@link org.modelmarket.platform.consumer.ProcessedEvents} and its purge. */
        @WithDefault("false")
        boolean enabled();

        /** The table. */
        @WithDefault("processed_event")
        String table();

        /**
         * How long an event id is remembered: longer than any redelivery can arrive late (a consumer group reset,
         * a relay republishing after a crash).
         */
        @WithDefault("P30D")
        Duration retention();

        /** How often old rows are purged. */
        @WithName("purge-interval")
        @WithDefault("1h")
        Duration purgeInterval();
    }
}
