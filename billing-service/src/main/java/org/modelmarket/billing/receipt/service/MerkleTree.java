package org.modelmarket.billing.receipt.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Merkle tree over receipt payloads with RFC 6962's hashing (SHA-256, leaf = H(0x00 || payload), node =
 * H(0x01 || left || right), split at the largest power of two below n), so one signature over the root vouches for
 * every receipt of a batch. A receipt's proof lists the sibling hashes from its leaf up to the root, each with the side
 * it sits on; verifying needs nothing but SHA-256.
 */
public final class MerkleTree {

    /** One step of an inclusion proof: the sibling's hash (base64url) and whether it is the left or the right child. */
    public record Step(String side, String hash) {}

    private final List<byte[]> leaves;
    // Subtree hashes by (from, to), computed once: every proof reuses them (without it, proofs of n leaves re-hashed
    // O(n^2) nodes, ~600 SHA-256 computations for a batch of 25).
    private final java.util.Map<Long, byte[]> subtrees = new java.util.HashMap<>();
    private final byte[] root;

    private MerkleTree(List<byte[]> leaves) {
        this.leaves = leaves;
        this.root = hash(0, leaves.size());
    }

    public static MerkleTree of(List<byte[]> payloads) {
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("A Merkle tree needs at least one leaf");
        }
        List<byte[]> leaves = new ArrayList<>(payloads.size());
        for (byte[] payload : payloads) {
            leaves.add(leafHash(payload));
        }
        return new MerkleTree(leaves);
    }

    public byte[] root() {
        return root.clone();
    }

    /** The inclusion proof of leaf {@code index}, from the leaf up. */
    public List<Step> proof(int index) {
        List<Step> steps = new ArrayList<>();
        path(index, 0, leaves.size(), steps);
        return steps;
    }

    /** Recomputes the root from a payload and its proof (what an offline verifier does). */
    public static byte[] rootOf(byte[] payload, List<Step> proof) {
        byte[] hash = leafHash(payload);
        Base64.Decoder b64 = Base64.getUrlDecoder();
        for (Step step : proof) {
            byte[] sibling = b64.decode(step.hash());
            hash = "left".equals(step.side()) ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
        }
        return hash;
    }

    private void path(int index, int from, int to, List<Step> steps) {
        if (to - from == 1) {
            return;
        }
        int split = from + largestPowerOfTwoBelow(to - from);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        if (index < split) {
            path(index, from, split, steps);
            steps.add(new Step("right", b64.encodeToString(hash(split, to))));
        } else {
            path(index, split, to, steps);
            steps.add(new Step("left", b64.encodeToString(hash(from, split))));
        }
    }

    private byte[] hash(int from, int to) {
        if (to - from == 1) {
            return leaves.get(from);
        }
        long key = ((long) from << 32) | to;
        byte[] known = subtrees.get(key);
        if (known == null) {
            int split = from + largestPowerOfTwoBelow(to - from);
            known = nodeHash(hash(from, split), hash(split, to));
            subtrees.put(key, known);
        }
        return known;
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static byte[] leafHash(byte[] payload) {
        MessageDigest digest = sha256();
        digest.update((byte) 0);
        return digest.digest(payload);
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update((byte) 1);
        digest.update(left);
        return digest.digest(right);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of the JDK", e);
        }
    }
}
