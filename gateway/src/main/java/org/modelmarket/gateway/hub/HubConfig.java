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
}
