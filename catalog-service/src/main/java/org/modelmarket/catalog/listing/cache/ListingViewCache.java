package org.modelmarket.catalog.listing.cache;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;

import org.modelmarket.catalog.listing.ListingView;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Views of listings that anyone may see, by {@code namespace/name}, so that reading a listing skips the database. Only
 * what every caller would get is kept (a public, published or deprecated listing, whose view does not depend on the
 * caller); anything else is marked "read per caller". Entries are dropped by the listing's own events
 * ({@link ListingViewInvalidation}: at once for writes through this instance, through {@code catalog.listings} for
 * every instance) and expire after {@code quarkus.cache.caffeine."listing-views".expire-after-write} as a safety net.
 */
@ApplicationScoped
public class ListingViewCache {

    public static final String NAME = "listing-views";

    /**
     * What is cached for one listing: its view if anyone may see it, else {@link #PER_CALLER}.
     *
     * @param view the full view (with {@code owners}, which only the vendor's members and admins are shown), or null
     * @param json the view everyone else gets (without owners) as the response body, serialized once when loaded, so
     *     a hit writes bytes, no JSON mapping
     * @param etag the entity tag of {@code json}, the same as a response built from a database read carries
     */
    public record Entry(ListingView view, byte[] json, EntityTag etag) {}

    /** The listing is absent or not visible to everyone: read it from the database for each caller. */
    public static final Entry PER_CALLER = new Entry(null, null, null);

    private final Cache cache;

    public ListingViewCache(@CacheName(NAME) Cache cache) {
        this.cache = cache;
    }

    /** The cached entry of {@code namespace/name}, loaded once by {@code loader} (concurrent readers share the load). */
    public Uni<Entry> get(String namespace, String name, Supplier<Uni<Entry>> loader) {
        Context context = Vertx.currentContext();
        Uni<Entry> entry = cache.getAsync(key(namespace, name), key -> loader.get());
        // a load shared with a concurrent request completes on that request's context; continue on our own, where
        // a per-caller database read may follow
        return context == null ? entry : entry.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    public Uni<Void> invalidate(String namespace, String name) {
        return cache.invalidate(key(namespace, name));
    }

    public Uni<Void> invalidateAll() {
        return cache.invalidateAll();
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
