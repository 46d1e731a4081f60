package org.modelmarket.artifact.upload.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.modelmarket.artifact.upload.UploadPart;

/**
 * The SHA-256 of a multipart upload's parts 1..k, carried along while parts arrive in order, so that completion
 * need not read them back; also the upload's lock on this instance. Only a cache: completion hashes from disk what
 * it does not cover (parts sent out of order, a part replaced by different content, an upload staged before a
 * restart), so losing it costs time, never correctness. Thread-safe: methods synchronize on the instance.
 */
final class WholeDigest {

    /** A digest to feed with part {@code number}'s bytes, valid if nothing changed the prefix meanwhile. */
    record Continuation(int number, MessageDigest digest, long generation) {}

    /** The digest over the first {@code parts} parts of a completion's list (a fresh one when none match). */
    record Prefix(int parts, MessageDigest digest) {}

    private MessageDigest digest = sha256();
    /** The sha256 of each covered part, in order. */
    private final List<String> covered = new ArrayList<>();
    /** Incremented whenever the covered prefix is dropped, so that a continuation begun before can no longer land. */
    private long generation;

    /** A copy of the digest to continue with part {@code number}, or null when it is not the next part in order. */
    synchronized Continuation continuation(int number) {
        if (number != covered.size() + 1) {
            return null;
        }
        return new Continuation(number, copy(digest), generation);
    }

    /**
     * Records that part {@code number} with digest {@code sha256} is staged: it extends the prefix when the part was
     * streamed through a still valid continuation; a different copy of a part inside the prefix drops the prefix.
     */
    synchronized void record(int number, String sha256, Continuation continuation) {
        if (continuation != null
                && continuation.generation() == generation
                && continuation.number() == covered.size() + 1) {
            digest = continuation.digest();
            covered.add(sha256);
        } else if (number <= covered.size() && !UploadPart.sameBytes(covered.get(number - 1), sha256)) {
            digest = sha256();
            covered.clear();
            generation++;
        }
    }

    /** The digest over the longest covered prefix of {@code partDigests} (parts 1..n in order). */
    synchronized Prefix prefix(List<String> partDigests) {
        if (covered.size() <= partDigests.size() && covered.equals(partDigests.subList(0, covered.size()))) {
            return new Prefix(covered.size(), copy(digest));
        }
        return new Prefix(0, sha256());
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("The JDK's SHA-256 supports clone()", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
