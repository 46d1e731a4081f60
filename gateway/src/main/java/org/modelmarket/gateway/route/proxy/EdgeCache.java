package org.modelmarket.gateway.route.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.edge.SharedCacheRules;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A shared HTTP cache (RFC 9111) of anonymous reads at the edge: a {@code GET} without {@code Authorization} or
 * {@code Cookie} whose service marked its {@code 200} answer {@code Cache-Control: public} with {@code s-maxage} (or
 * {@code max-age}) is kept, bounded in entries and bytes, and served to the next anonymous callers of the same URI
 * until it is that old; then it is revalidated with {@code If-None-Match} (a {@code 304} from the service refreshes it)
 * or fetched again. Nothing else is ever stored or served from here: credentials, other statuses, encoded bodies,
 * {@code Set-Cookie}, {@code Location}, a {@code Vary} on anything but credentials, encoding or origin.
 *
 * <p>Vert.x's own proxy cache ({@code ProxyOptions.setCacheOptions}) is not used: it keys by URI alone and so would
 * serve and store answers of callers with credentials, reads {@code max-age} but not {@code s-maxage}, stores any
 * status, has no byte bound (an unsynchronized {@code LinkedHashMap} by entry count) and drops an expired entry
 * instead of revalidating it.
 */
final class EdgeCache {

    /**
     * One stored answer: the service's headers (per-caller and hop-by-hop ones left out), its body and ETag; plus what
     * a hit writes, prepared once when stored rather than on every hit: the headers by name with their values, and
     * the body's length as text. The body is written as it is (Vert.x writes a slice of the same bytes), not copied.
     */
    record Entry(
            MultiMap headers,
            Buffer body,
            String etag,
            long storedAt,
            long freshFor,
            List<StoredHeader> served,
            String length) {

        static Entry of(MultiMap headers, Buffer body, String etag, long storedAt, long freshFor) {
            List<StoredHeader> served = new ArrayList<>();
            for (String name : headers.names()) {
                served.add(new StoredHeader(
                        name,
                        List.copyOf(headers.getAll(name)),
                        HttpHeaders.VARY.toString().equalsIgnoreCase(name)));
            }
            return new Entry(
                    headers, body, etag, storedAt, freshFor, List.copyOf(served), Integer.toString(body.length()));
        }

        boolean fresh(long now) {
            return now - storedAt < freshFor;
        }

        /** Seconds since stored or last validated (RFC 9111 5.1). */
        long ageSeconds(long now) {
            return Math.max(0, now - storedAt) / 1000;
        }

        /** Validated at {@code now}: the headers a {@code 304} sent replace the stored ones (RFC 9111 3.2). */
        Entry refreshed(MultiMap notModified, long now, long freshFor) {
            MultiMap updated = MultiMap.caseInsensitiveMultiMap().addAll(headers);
            for (String name : notModified.names()) {
                if (!NOT_STORED.contains(name.toLowerCase(Locale.ROOT))) {
                    updated.set(name, notModified.getAll(name));
                }
            }
            return Entry.of(updated, body, etag, now, freshFor);
        }
    }

    /** A stored header's values; a {@code Vary} is added to the caller's (CORS may have set one), others replace. */
    record StoredHeader(String name, List<String> values, boolean vary) {}

    /**
     * A cache-eligible {@code GET} on its way to the service: the cache, the request's key and the stale entry being
     * revalidated (with an ETag), if any.
     */
    record Fill(EdgeCache cache, String key, Entry stale) {}

    /** Response headers that belong to one caller or one connection, never stored. */
    private static final Set<String> NOT_STORED = Set.of(
            "content-length",
            "x-request-id",
            "ratelimit",
            "ratelimit-policy",
            "age",
            "x-cache",
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-expose-headers");

    private final Cache<String, Entry> entries;
    private final long maxEntryBytes;
    private final long maxFreshMillis;
    private final long staleKeptMillis;

    EdgeCache(GatewayConfig.EdgeCache config) {
        this.maxEntryBytes = config.maxEntryBytes();
        this.maxFreshMillis = config.maxFresh().toMillis();
        this.staleKeptMillis = config.staleKept().toMillis();
        // Each entry weighs at least maxBytes / maxEntries: the total weight bound (maxBytes) then also bounds the
        // count (Caffeine takes one bound, by size or by weight).
        long minimumWeight = Math.max(1, config.maxBytes() / Math.max(1, config.maxEntries()));
        this.entries = Caffeine.newBuilder()
                .maximumWeight(config.maxBytes())
                .weigher((String key, Entry entry) -> (int) Math.min(
                        Integer.MAX_VALUE,
                        Math.max(minimumWeight, key.length() + entry.body().length())))
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        return keptFor(entry);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return keptFor(entry);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** Kept while fresh, and a while after when it can be revalidated cheaply (it has an ETag). */
    private long keptFor(Entry entry) {
        long millis = entry.freshFor() + (entry.etag() == null ? 0 : staleKeptMillis);
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /**
     * Whether {@code request} may be answered from, and fill, the cache: a {@code GET} or {@code HEAD} of an anonymous
     * caller (no credentials of any kind) that does not ask to bypass caches.
     */
    static boolean eligible(HttpServerRequest request) {
        HttpMethod method = request.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        MultiMap headers = request.headers();
        if (headers.contains(HttpHeaders.AUTHORIZATION) || headers.contains(HttpHeaders.COOKIE)) {
            return false;
        }
        String cacheControl = headers.get(HttpHeaders.CACHE_CONTROL);
        if (cacheControl != null) {
            String directives = cacheControl.toLowerCase(Locale.ROOT);
            if (directives.contains("no-cache") || directives.contains("no-store")) {
                return false;
            }
        }
        return !"no-cache".equalsIgnoreCase(headers.get("Pragma"));
    }

    /** The entry stored for {@code key}, fresh or stale, or null. */
    Entry get(String key) {
        return entries.getIfPresent(key);
    }

    void remove(String key) {
        entries.invalidate(key);
    }

    long size() {
        return entries.estimatedSize();
    }

    /**
     * How long the service allows a shared cache to keep an answer with {@code headers} fresh, in milliseconds, or
     * {@code -1} when it may not be stored ({@link SharedCacheRules#freshMillis}). Capped by {@code max-fresh}.
     */
    long freshness(MultiMap headers) {
        return SharedCacheRules.freshMillis(headers.getAll(HttpHeaders.CACHE_CONTROL), maxFreshMillis);
    }

    /**
     * Stores a {@code 200} answer to a {@code GET} of {@code key} if the service allowed it (see {@link #freshness})
     * and nothing in it belongs to one caller; {@code headers} are those the caller received, before the gateway's
     * per-request ones.
     */
    boolean store(String key, MultiMap headers, Buffer body, long now) {
        long freshFor = freshness(headers);
        if (freshFor <= 0 || body.length() > maxEntryBytes || !storable(headers)) {
            return false;
        }
        MultiMap kept = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(header -> {
            if (!NOT_STORED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                kept.add(header.getKey(), header.getValue());
            }
        });
        entries.put(key, Entry.of(kept, body.copy(), headers.get(HttpHeaders.ETAG), now, freshFor));
        return true;
    }

    /** Whether the answer with these headers (status 200, length known and small enough) may be stored at all. */
    boolean storableAnswer(int status, MultiMap headers) {
        if (status != 200 || freshness(headers) <= 0 || !storable(headers)) {
            return false;
        }
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        try {
            return length != null && Long.parseLong(length) <= maxEntryBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean storable(MultiMap headers) {
        if (headers.contains(HttpHeaders.SET_COOKIE)
                || headers.contains(HttpHeaders.LOCATION)
                || headers.contains(HttpHeaders.CONTENT_ENCODING)) {
            return false;
        }
        return SharedCacheRules.harmlessVary(headers.getAll(HttpHeaders.VARY));
    }

    /**
     * A {@code 304} of the service to the gateway's own revalidation: the stored body is current again. Its new
     * freshness comes from the {@code 304}'s own {@code Cache-Control} (RFC 9111 4.3.4); when that no longer allows
     * storing, the entry is dropped (this one answer is still served from it: the service just confirmed it).
     */
    Entry revalidated(String key, Entry stale, MultiMap notModified, long now) {
        long freshFor = notModified.contains(HttpHeaders.CACHE_CONTROL) ? freshness(notModified) : stale.freshFor();
        if (freshFor <= 0) {
            entries.invalidate(key);
            return stale.refreshed(notModified, now, 0);
        }
        Entry refreshed = stale.refreshed(notModified, now, freshFor);
        entries.put(key, refreshed);
        return refreshed;
    }

    /**
     * Answers {@code request} from {@code entry}: a {@code 304} when its {@code If-None-Match} names the entry's ETag,
     * else the stored status, headers and body with its length (a {@code HEAD}: the length, no body). {@code Age} says
     * how old it is and {@code X-Cache} where it came from; the per-request headers (request id, CORS, rate limits)
     * are the gateway's as on every answer.
     */
    static Future<Void> serve(HttpServerRequest request, Entry entry, String how, long now) {
        HttpServerResponse response = request.response();
        // A GET or HEAD body (there should be none) is drained so the connection can carry the next request.
        request.resume();
        MultiMap headers = response.headers();
        for (StoredHeader header : entry.served()) {
            if (header.vary()) {
                header.values().forEach(value -> headers.add(header.name(), value));
            } else {
                headers.set(header.name(), header.values());
            }
        }
        response.putHeader(HttpHeaders.AGE, Long.toString(entry.ageSeconds(now)));
        response.putHeader("X-Cache", how);
        if (entry.etag() != null && matches(request.headers().getAll(HttpHeaders.IF_NONE_MATCH), entry.etag())) {
            // No body and no framing (RFC 9110 15.4.5): the metadata a 200 would have had, minus the length.
            response.headers().remove(HttpHeaders.CONTENT_TYPE);
            return response.setStatusCode(304).end();
        }
        response.setStatusCode(200);
        response.putHeader(HttpHeaders.CONTENT_LENGTH, entry.length());
        return request.method() == HttpMethod.HEAD ? response.end() : response.end(entry.body());
    }

    /** Weak comparison of an {@code If-None-Match} list with {@code etag} (RFC 9110 13.1.2). */
    static boolean matches(List<String> ifNoneMatch, String etag) {
        String opaque = weakless(etag);
        for (String value : ifNoneMatch) {
            for (String candidate : value.split(",")) {
                String tag = candidate.trim();
                if (tag.equals("*") || weakless(tag).equals(opaque)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String weakless(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
