package org.modelmarket.search.index.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The prebuilt request bodies: built once per key, bounded by bytes, large bodies and a zero bound never kept. */
class RequestBodyCacheTest {

    private final AtomicInteger builds = new AtomicInteger();

    private Supplier<byte[]> builder(String body) {
        return () -> {
            builds.incrementAndGet();
            return body.getBytes(StandardCharsets.UTF_8);
        };
    }

    @Test
    void anEqualKeyGetsTheBytesBuiltFirstAndAnotherKeyItsOwn() {
        RequestBodyCache cache = new RequestBodyCache(1_000);
        byte[] first = cache.get(new Key("speech", 0), builder("a"));
        byte[] again = cache.get(new Key("speech", 0), builder("never built"));
        byte[] other = cache.get(new Key("speech", 20), builder("b"));

        assertThat(again).isSameAs(first);
        assertThat(new String(other, StandardCharsets.UTF_8)).isEqualTo("b");
        assertThat(builds).hasValue(2);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void theBytesKeptStayWithinTheBound() {
        RequestBodyCache cache = new RequestBodyCache(1_000);
        for (int page = 0; page < 100; page++) {
            cache.get(new Key("speech", page), builder("x".repeat(100)));
        }
        // 100 bytes each: at most ten fit
        assertThat(cache.size()).isBetween(1L, 10L);
        assertThat(builds).hasValue(100);
    }

    @Test
    void aBodyLargerThanATenthOfTheBoundIsBuiltEveryTime() {
        RequestBodyCache cache = new RequestBodyCache(1_000);
        cache.get(new Key("many filters", 0), builder("x".repeat(101)));
        cache.get(new Key("many filters", 0), builder("x".repeat(101)));

        assertThat(builds).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aZeroBoundBuildsEveryBody() {
        RequestBodyCache cache = new RequestBodyCache(0);
        cache.get(new Key("speech", 0), builder("a"));
        cache.get(new Key("speech", 0), builder("a"));

        assertThat(builds).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    private record Key(String text, int from) {}
}
