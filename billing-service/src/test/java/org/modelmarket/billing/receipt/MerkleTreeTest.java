package org.modelmarket.billing.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.receipt.service.MerkleTree;

/** The Merkle tree of batch receipts: RFC 6962's root, and every leaf's proof folds back to it. */
class MerkleTreeTest {

    @Test
    void everyProofLeadsToTheRfc6962RootForEveryBatchSize() throws Exception {
        for (int n = 1; n <= 40; n++) {
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                payloads.add(("receipt " + n + "/" + i).getBytes(StandardCharsets.UTF_8));
            }
            MerkleTree tree = MerkleTree.of(payloads);
            assertThat(tree.root()).as("root of %d leaves", n).isEqualTo(rfc6962(payloads));
            for (int i = 0; i < n; i++) {
                assertThat(MerkleTree.rootOf(payloads.get(i), tree.proof(i)))
                        .as("proof of leaf %d of %d", i, n)
                        .isEqualTo(tree.root());
            }
            if (n > 1) {
                byte[] forged = "forged".getBytes(StandardCharsets.UTF_8);
                assertThat(MerkleTree.rootOf(forged, tree.proof(0))).isNotEqualTo(tree.root());
            }
        }
    }

    /** RFC 6962, section 2.1, written out directly: MTH(D[n]) split at the largest power of two below n. */
    private static byte[] rfc6962(List<byte[]> leaves) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        if (leaves.size() == 1) {
            sha256.update((byte) 0);
            return sha256.digest(leaves.get(0));
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        byte[] left = rfc6962(leaves.subList(0, k));
        byte[] right = rfc6962(leaves.subList(k, leaves.size()));
        sha256.update((byte) 1);
        sha256.update(left);
        return sha256.digest(right);
    }
}
