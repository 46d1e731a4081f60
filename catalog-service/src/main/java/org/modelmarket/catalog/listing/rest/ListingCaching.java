package org.modelmarket.catalog.listing.rest;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long a shared cache (the gateway's edge cache, a CDN) may serve an anonymous read of public listings without
 * asking again ({@code modelmarket.catalog.listing-caching.*}); see {@link ListingResource}'s {@code Cache-Control}.
 */
@ConfigMapping(prefix = "modelmarket.catalog.listing-caching")
public interface ListingCaching {

    /**
     * {@code s-maxage} of anonymous reads of listings, listing pages and vendor pages: the bound on how stale a shared cache may
     * show them after a change. Whole seconds; {@code 0} lets no shared cache keep them.
     */
    @WithDefault("1s")
    Duration sharedMaxAge();

    /** The {@code Cache-Control} of an anonymous read. */
    default String anonymous() {
        long seconds = sharedMaxAge().toSeconds();
        // max-age=0: a browser revalidates each time (a 304 from the edge cache while it is fresh there).
        return seconds > 0 ? "public, max-age=0, s-maxage=" + seconds : "no-cache";
    }

    /** The {@code Cache-Control} of a read by a signed-in caller: what it sees may be its own (drafts, owners). */
    default String signedIn() {
        return "private, no-cache";
    }
}
