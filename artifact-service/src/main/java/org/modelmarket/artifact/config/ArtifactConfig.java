package org.modelmarket.artifact.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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

        /** Which adapter holds the blobs: {@code filesystem} (default) or {@code s3}; chosen at startup. */
        @WithDefault("filesystem")
        Store store();

        /** The local filesystem adapter (the default blob store). */
        Filesystem filesystem();

        /** The S3-compatible object storage adapter. */
        S3 s3();

        /** The blob store adapters. */
        enum Store {
            FILESYSTEM,
            S3
        }

        /** The local filesystem adapter. */
        interface Filesystem {

            /** Root directory holding {@code blobs/sha256/..} and the {@code tmp/} staging area; created on demand. */
            @WithDefault("${user.home}/.modelmarket/artifact")
            Path root();
        }

        /** The S3 adapter (AWS SDK v2 client and presigner built from these settings). */
        interface S3 {

            /** The bucket holding {@code blobs/sha256/<hex>} and the staging area {@code tmp/}; it must exist. */
            @WithDefault("modelmarket-artifacts")
            String bucket();

            /** An S3-compatible server's URL; empty means AWS S3 itself. */
            Optional<URI> endpoint();

            /** The region to sign for; empty means the AWS SDK's default chain ({@code AWS_REGION}). */
            Optional<String> region();

            /** Address the bucket as the first path segment instead of a host name (most S3-compatible servers). */
            @WithDefault("false")
            boolean pathStyleAccess();

            /**
             * Static credentials; when unset (the default), the AWS SDK's default chain applies: the
             * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} variables, a profile, the pod's web identity.
             */
            Optional<String> accessKeyId();

            /** The secret of {@code access-key-id}. */
            Optional<String> secretAccessKey();

            /**
             * Size of each part of a multipart upload, and so of the one buffer a write holds; at least 5M (S3's
             * minimum). It doubles every 1,000 parts so that S3's 10,000-part limit is never reached.
             */
            @WithDefault("16M")
            MemorySize partSize();

            /** How long a presigned download URL stays valid. */
            @WithDefault("5m")
            Duration presignDuration();
        }
    }
}
