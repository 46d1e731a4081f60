package org.modelmarket.search.index.elasticsearch;

import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The serialized Elasticsearch request bodies of the hot reads (page-paged search, suggest), by query: the same search
 * typed by many people (or the same page asked again) is sent as the bytes built the first time, instead of being
 * built again through the typed DSL and its JSON-P serialization (about 50 µs of CPU per search
 * in the service). A body depends only on its query (text, filters, sort, page, facets; the read alias and the
 * request code are fixed for the life of the process), so an entry never goes stale. Bounded by the bytes it holds
 * (Caffeine evicts the seldom used first); a body larger than a tenth of the bound (a query with hundreds of filter values)
 * is built every time and never kept.
 */
final class RequestBodyCache {

    private final Cache<Object, byte[]> bodies;
    private final long largestKept;

    /** @param maxBytes the most body bytes kept; 0 turns the cache off */
    RequestBodyCache(long maxBytes) {
        this.largestKept = maxBytes / 10;
        this.bodies = maxBytes <= 0
                ? null
                : Caffeine.newBuilder()
                        .maximumWeight(maxBytes)
                        .<Object, byte[]>weigher((key, body) -> body.length)
                        .build();
    }

    /**
     * The body for {@code key}, built by {@code build} unless kept. {@code key} must determine the body completely
     * (equal keys, identical bodies). The bytes returned are shared: never modify them.
     */
    byte[] get(Object key, Supplier<byte[]> build) {
        if (bodies == null) {
            return build.get();
        }
        byte[] body = bodies.getIfPresent(key);
        if (body == null) {
            body = build.get();
            if (body.length <= largestKept) {
                bodies.put(key, body);
            }
        }
        return body;
    }

    /** The body kept for {@code key}, or null (tests). */
    byte[] kept(Object key) {
        return bodies == null ? null : bodies.getIfPresent(key);
    }

    /** Bodies kept now (tests). */
    long size() {
        if (bodies == null) {
            return 0;
        }
        bodies.cleanUp();
        return bodies.estimatedSize();
    }
}
