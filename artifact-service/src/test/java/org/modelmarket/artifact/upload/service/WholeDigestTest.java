package org.modelmarket.artifact.upload.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class WholeDigestTest {

    private static final byte[] ONE = "part one ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = "part two".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "another two".getBytes(StandardCharsets.UTF_8);

    @Test
    void partsInOrderCoverTheWholeFile() throws Exception {
        WholeDigest whole = new WholeDigest();
        send(whole, 1, ONE);
        send(whole, 2, TWO);

        WholeDigest.Prefix prefix = whole.prefix(List.of(sha(ONE), sha(TWO)));

        assertThat(prefix.parts()).isEqualTo(2);
        assertThat(hex(prefix.digest())).isEqualTo(sha(ONE, TWO));
    }

    @Test
    void aPartOutOfOrderIsNotCovered() throws Exception {
        WholeDigest whole = new WholeDigest();
        send(whole, 2, TWO);
        send(whole, 1, ONE);

        WholeDigest.Prefix prefix = whole.prefix(List.of(sha(ONE), sha(TWO)));

        assertThat(prefix.parts()).isEqualTo(1);
        prefix.digest().update(TWO); // what completion reads back from disk
        assertThat(hex(prefix.digest())).isEqualTo(sha(ONE, TWO));
    }

    @Test
    void aCoveredPartReplacedByOtherContentDropsThePrefix() throws Exception {
        WholeDigest whole = new WholeDigest();
        send(whole, 1, ONE);
        send(whole, 2, TWO);
        send(whole, 2, OTHER);

        WholeDigest.Prefix prefix = whole.prefix(List.of(sha(ONE), sha(OTHER)));

        assertThat(prefix.parts()).isZero();
        assertThat(hex(prefix.digest())).isEqualTo(sha());
    }

    @Test
    void aResentIdenticalPartKeepsThePrefix() throws Exception {
        WholeDigest whole = new WholeDigest();
        send(whole, 1, ONE);
        send(whole, 1, ONE);
        send(whole, 2, TWO);

        assertThat(whole.prefix(List.of(sha(ONE), sha(TWO))).parts()).isEqualTo(2);
    }

    @Test
    void aResentPartWithTheSameCrc32cDropsThePrefix() throws Exception {
        // Equal CRC32Cs do not prove equal bytes: the service stages the resent copy, so the digest over the old one
        // must not be kept (were it kept, a file could be stored under a digest of other bytes).
        WholeDigest whole = new WholeDigest();
        WholeDigest.Continuation first = whole.continuation(1);
        first.digest().update(ONE);
        whole.record(1, "crc32c:0badf00d", first);
        whole.record(1, "crc32c:0badf00d", whole.continuation(1));

        assertThat(whole.prefix(List.of("crc32c:0badf00d")).parts()).isZero();
    }

    @Test
    void aContinuationBegunBeforeThePrefixWasDroppedDoesNotLand() throws Exception {
        WholeDigest whole = new WholeDigest();
        send(whole, 1, ONE);
        WholeDigest.Continuation stale = whole.continuation(2);
        stale.digest().update(TWO);
        send(whole, 1, OTHER); // drops the prefix
        send(whole, 1, ONE); // rebuilds it to the same length

        whole.record(2, sha(TWO), stale);

        assertThat(whole.prefix(List.of(sha(ONE), sha(TWO))).parts()).isEqualTo(1);
    }

    @Test
    void aCompletionListingOtherPartsStartsFromScratch() throws Exception {
        WholeDigest whole = new WholeDigest();
        send(whole, 1, ONE);

        assertThat(whole.prefix(List.of(sha(OTHER))).parts()).isZero();
    }

    private static void send(WholeDigest whole, int number, byte[] bytes) throws Exception {
        WholeDigest.Continuation continuation = whole.continuation(number);
        if (continuation != null) {
            continuation.digest().update(bytes);
        }
        whole.record(number, sha(bytes), continuation);
    }

    private static String sha(byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return hex(digest);
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
