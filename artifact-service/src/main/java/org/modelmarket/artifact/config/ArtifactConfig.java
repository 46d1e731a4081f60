package org.modelmarket.artifact.config;

import java.nio.file.Path;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The artifact service's own settings, under {@code modelmarket.artifact}; the outbox relay's are the platform's
 * ({@code modelmarket.outbox.*}).
 */
@ConfigMapping(prefix = "modelmarket.artifact")
public interface ArtifactConfig {

    /** Limits applied to file uploads. */
    Upload upload();

    /** Where and how blobs are stored. */
    Blob blob();

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
}
