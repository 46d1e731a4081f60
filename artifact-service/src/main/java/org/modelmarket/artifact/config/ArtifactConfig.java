package org.modelmarket.artifact.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    /** Storage quotas. */
    Quota quota();

    /** Who may download what. */
    Access access();

    /** Signed download URLs. */
    Signing signing();

    /** Download counting. */
    Downloads downloads();

    /** Blob garbage collection. */
    Gc gc();

    /** The HTTP server's transport, for large transfers. */
    Http http();

    /** The HTTP server's transport, for large transfers. */
    interface Http {

        /**
         * The sockets' receive buffer and the size of one read from them ({@code SO_RCVBUF} and Netty's fixed read
         * size). An upload's body reaches the blocking endpoint one read at a time, each read a hand-over between the
         * event loop and a worker thread: larger reads mean fewer hand-overs per GiB. Unset: the kernel's and Netty's
         * adaptive defaults (reads of at most 64 KiB).
         */
        Optional<MemorySize> receiveBufferSize();
    }

    /** Storage quotas. */
    interface Quota {

        /** Bytes of distinct content one vendor namespace may store. */
        @WithDefault("500G")
        MemorySize perVendor();
    }

    /** Access rules of paid and gated listings. */
    interface Access {

        /**
         * Files anyone who can see the listing may read, so that buyers can evaluate a paid or gated model before
         * buying (glob patterns on the file name, or on the path when they contain '/'). Every other file is a
         * weight file: it needs an entitlement (paid, trial) or accepted terms (gated), and its downloads count.
         */
        @WithDefault("README.md,*.md,*.txt,LICENSE,LICENSE.*,NOTICE,.gitattributes,*.json,*.yaml,*.yml,*.png,*.jpg")
        List<String> openFiles();

        /** Base URL of the public site, for the "subscribe here" and "accept the terms here" links in refusals. */
        @WithDefault("http://127.0.0.1:8080")
        String publicUrl();
    }

    /** Signed, short-lived download URLs ({@code /api/v1/signed/{token}}). */
    interface Signing {

        /**
         * HMAC-SHA256 key (at least 32 characters). Every replica needs the same key; when unset a random key is
         * made at start, which only works with one replica.
         */
        Optional<String> key();

        /** How long a signed URL stays valid. */
        @WithDefault("PT5M")
        Duration ttl();

        /**
         * Base URL of the signed URLs when it is not {@code access.public-url}: an address where
         * {@code /api/v1/signed/} reaches this service without the gateway (an ingress rule for that path, or the
         * service's own address in a local run), so that the bytes go out by {@code sendfile} instead of through the
         * gateway's relay. Unset: the public URL (the gateway relays the download).
         */
        Optional<String> baseUrl();
    }

    /** Download counting. */
    interface Downloads {

        /** How long the per-caller, per-file, per-day tally is kept (it must exceed one day). */
        @WithDefault("P3D")
        Duration tallyRetention();
    }

    /** Blob garbage collection. */
    interface Gc {

        /** Whether this replica runs the collector. */
        @WithDefault("true")
        boolean enabled();

        /** Blobs no commit references are deleted once unused for this long. */
        @WithDefault("PT24H")
        Duration grace();

        /** How often the collector runs. */
        @WithDefault("15m")
        String interval();
    }

    /** Where and how blobs are stored. */
    Blob blob();

    /** Limits applied to file uploads. */
    interface Upload {

        /** Largest body one upload may carry; larger uploads are refused with 413 while streaming. */
        @WithDefault("5G")
        MemorySize maxSize();

        /** Largest JSON body of an atomic commit (inline base64 content is parsed in memory). */
        @WithDefault("64M")
        MemorySize commitBodyMaxSize();

        /** Largest file a multipart upload may declare. */
        @WithDefault("500G")
        MemorySize multipartMaxSize();

        /** Largest part of a multipart upload. */
        @WithDefault("5G")
        MemorySize maxPartSize();

        /** Where multipart upload parts are staged until the upload completes (local disk). */
        @WithDefault("${user.home}/.modelmarket/artifact/uploads")
        Path stagingDir();

        /** How long an unfinished multipart upload is kept after its last activity. */
        @WithDefault("P1D")
        Duration sessionTtl();
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

            /**
             * Whether blobs and staged upload parts are written past the page cache ({@code O_DIRECT} for whole
             * aligned blocks, where the filesystem allows it); {@code false}: every write goes through the page cache.
             */
            @WithDefault("true")
            boolean directWrites();
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
