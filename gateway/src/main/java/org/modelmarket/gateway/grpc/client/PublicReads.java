package org.modelmarket.gateway.grpc.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.edge.SharedCacheRules;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.google.protobuf.Message;

/**
 * The gRPC reads' side of the edge cache: a service's answer to an anonymous {@code GET} that the service marked
 * {@code Cache-Control: public, s-maxage=N} is kept as the message already built from it, for N seconds (at most
 * {@code modelmarket.gateway.edge-cache.max-fresh}), so that the next anonymous call for the same path skips the
 * backend call and the JSON mapping, which are most of what a gRPC read costs the gateway. The rules are the edge
 * cache's ({@code route/proxy/EdgeCache}): only callers without a token read or fill it, only a {@code 200} that is
 * {@code public} with a positive {@code s-maxage} (or {@code max-age}) and neither {@code private}, {@code no-store},
 * {@code no-cache}, {@code Set-Cookie} nor a {@code Vary} that could change an anonymous answer is stored; bounded in
 * entries; per replica and not invalidated on writes (bounded by {@code s-maxage}, as the edge cache). Switched off
 * with the edge cache ({@code modelmarket.gateway.edge-cache.enabled=false}).
 */
@ApplicationScoped
public class PublicReads {

    private record Entry(Message message, long freshNanos) {}

    private final boolean enabled;
    private final long maxFreshMillis;
    private final Cache<String, Entry> entries;

    @Inject
    PublicReads(GatewayConfig config) {
        this(
                config.edgeCache().enabled(),
                config.edgeCache().maxEntries(),
                config.edgeCache().maxFresh());
    }

    PublicReads(boolean enabled, int maxEntries, Duration maxFresh) {
        this.enabled = enabled;
        this.maxFreshMillis = maxFresh.toMillis();
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        return entry.freshNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return entry.freshNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    boolean enabled() {
        return enabled;
    }

    /** The fresh message kept for {@code key}, if any and of {@code type}. */
    <M extends Message> Optional<M> fresh(String key, Class<M> type) {
        Entry entry = entries.getIfPresent(key);
        return entry != null && type.isInstance(entry.message())
                ? Optional.of(type.cast(entry.message()))
                : Optional.empty();
    }

    /** Keeps {@code message}, built from a {@code 200} answer with {@code answer}'s headers, if the service allows. */
    void store(String key, Message message, JsonCalls.Answer answer) {
        long millis = freshness(answer);
        if (millis > 0) {
            entries.put(key, new Entry(message, TimeUnit.MILLISECONDS.toNanos(millis)));
        }
    }

    /** Entries kept (an estimate). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /**
     * How long a shared cache may keep {@code answer} fresh, in milliseconds capped by {@code max-fresh}, or -1 when
     * it may not be stored (the edge cache's rules: {@link SharedCacheRules}).
     */
    long freshness(JsonCalls.Answer answer) {
        if (answer.status() != 200 || answer.setsCookie() || !SharedCacheRules.harmlessVary(answer.vary())) {
            return -1;
        }
        return SharedCacheRules.freshMillis(answer.cacheControl(), maxFreshMillis);
    }
}
