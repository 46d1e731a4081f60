package org.modelmarket.gateway.grpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.Listing;

import io.vertx.core.buffer.Buffer;

/** Which answers {@link PublicReads} keeps and for how long: the edge cache's rules (RFC 9111, shared cache). */
class PublicReadsTest {

    private final PublicReads reads = new PublicReads(true, 100, Duration.ofSeconds(60));

    private static JsonCalls.Answer answer(int status, List<String> cacheControl, List<String> vary, boolean cookie) {
        return new JsonCalls.Answer(status, Buffer.buffer("{}"), null, cacheControl, vary, cookie);
    }

    private static JsonCalls.Answer answer(String... cacheControl) {
        return answer(200, List.of(cacheControl), List.of(), false);
    }

    @Test
    void keepsAPublicAnswerForItsSharedMaxAgeCappedByMaxFresh() {
        assertThat(reads.freshness(answer("public, max-age=0, s-maxage=1"))).isEqualTo(1_000);
        assertThat(reads.freshness(answer("public, max-age=5"))).isEqualTo(5_000);
        assertThat(reads.freshness(answer("public", "s-maxage=2"))).isEqualTo(2_000);
        assertThat(reads.freshness(answer("public, s-maxage=3600"))).isEqualTo(60_000);
    }

    @Test
    void neverKeepsWhatIsNotPublicOrBelongsToOneCaller() {
        assertThat(reads.freshness(answer())).isEqualTo(-1);
        assertThat(reads.freshness(answer("s-maxage=10"))).isEqualTo(-1);
        assertThat(reads.freshness(answer("public, s-maxage=0"))).isEqualTo(-1);
        assertThat(reads.freshness(answer("private, max-age=60"))).isEqualTo(-1);
        assertThat(reads.freshness(answer("public, s-maxage=10, no-store"))).isEqualTo(-1);
        assertThat(reads.freshness(answer("public, s-maxage=10", "no-cache"))).isEqualTo(-1);
        assertThat(reads.freshness(answer(200, List.of("public, s-maxage=10"), List.of(), true)))
                .isEqualTo(-1);
        assertThat(reads.freshness(answer(203, List.of("public, s-maxage=10"), List.of(), false)))
                .isEqualTo(-1);
        assertThat(reads.freshness(answer(200, List.of("public, s-maxage=10"), List.of("Accept-Language"), false)))
                .isEqualTo(-1);
        assertThat(reads.freshness(
                        answer(200, List.of("public, s-maxage=10"), List.of("Authorization, Accept-Encoding"), false)))
                .isEqualTo(10_000);
    }

    @Test
    void servesAKeptMessageOnlyAsItsOwnType() {
        Listing listing = Listing.newBuilder().setTitle("kept").build();
        reads.store("key", listing, answer("public, s-maxage=10"));

        assertThat(reads.fresh("key", Listing.class)).contains(listing);
        assertThat(reads.fresh("key", org.modelmarket.gateway.grpc.v1.Version.class))
                .isEmpty();
        assertThat(reads.fresh("other", Listing.class)).isEmpty();
    }

    @Test
    void keepsNothingItMayNotKeep() {
        reads.store("key", Listing.getDefaultInstance(), answer("private, max-age=10"));

        assertThat(reads.fresh("key", Listing.class)).isEmpty();
        assertThat(reads.size()).isZero();
    }
}
