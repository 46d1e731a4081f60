package org.modelmarket.gateway.hub;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Hugging Face Hub compatible API's settings. */
@ConfigMapping(prefix = "modelmarket.gateway.hub")
public interface HubConfig {

    /**
     * The gateway's external base URL (e.g. {@code https://models.example.com}), used for absolute {@code Link}
     * headers; unset, it is taken from the request ({@code Host}).
     */
    Optional<String> publicUrl();

    /** Listing entries per page of {@code GET /api/models} when the caller gives no smaller {@code limit}. */
    @WithDefault("100")
    int pageSize();

    /** Tree entries per page of the tree API. */
    @WithDefault("1000")
    int treePageSize();

    /** The Hub write API's Git LFS transfers (HF-PROTOCOL §3.3, §3.4). */
    Lfs lfs();

    /** How LFS objects travel: one PUT up to the multipart threshold, parts of {@code chunk-size} above it. */
    interface Lfs {

        /** Objects larger than this are offered as multipart transfers. */
        @WithDefault("512M")
        io.quarkus.runtime.configuration.MemorySize multipartThreshold();

        /** The part size of multipart transfers (grown when an object would need more than 10,000 parts). */
        @WithDefault("64M")
        io.quarkus.runtime.configuration.MemorySize chunkSize();

        /** How long the self-authorizing upload URLs of a batch answer stay valid. */
        @WithDefault("1h")
        java.time.Duration urlTtl();

        /**
         * The AES key (base64, 16 or 32 bytes) sealing upload URLs; unset, a random key per process (URLs then do
         * not survive a restart and are not shared between replicas: set it when the gateway runs replicated).
         */
        Optional<String> urlKey();

        /** Where a multipart part is spooled while its SHA-256 is computed (artifact-service needs it up front). */
        Optional<java.nio.file.Path> spoolDir();
    }
}
