package org.modelmarket.artifact.config;

import java.nio.file.Path;
import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The artifact service's own settings, under {@code modelmarket.artifact}. */
@ConfigMapping(prefix = "modelmarket.artifact")
public interface ArtifactConfig {

    /** Limits applied to file uploads. */
    Upload upload();

    /** Where and how blobs are stored. */
    Blob blob();

    /** The outbox relay that publishes download events. */
    Outbox outbox();

    /** Limits applied to file uploads. */
    interface Upload {

        /** Largest body one upload may carry; larger uploads are refused with 413 while streaming. */
        @WithDefault("5G")
        MemorySize maxSize();
    }

    /** Blob store settings. */
    interface Blob {

        /** The local filesystem adapter (the default blob store). */
        Filesystem filesystem();

        /** The local filesystem adapter. */
        interface Filesystem {

            /** Root directory holding {@code blobs/sha256/..} and the {@code tmp/} staging area; created on demand. */
            @WithDefault("${user.home}/.modelmarket/artifact")
            Path root();
        }
    }

    /** Settings of the outbox relay. */
    interface Outbox {

        /**
         * How often the relay polls for unsent rows: the retry period during a broker outage. Fresh events do not
         * wait for it, the relay is woken right after each commit that wrote events. At least 1 s (Quarkus scheduler).
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** Most rows published per batch; the relay loops while batches come back full. */
        @WithDefault("100")
        int batchSize();

        /** How long to wait for the broker's acknowledgement of one record; keep it above delivery.timeout.ms. */
        @WithDefault("30s")
        Duration sendTimeout();

        /** How long sent rows are kept (for audit and replays) before the purge deletes them. */
        @WithDefault("P7D")
        Duration retention();
    }
}
