package org.modelmarket.artifact.upload.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Which parts of one multipart upload were written, in order, into its single staging file ({@code whole}), so that
 * completion can hand that one file to the blob store instead of concatenating parts. Parts 1..k live there back to
 * back; every other part has a file of its own. Only one append runs at a time (a second request for the next part
 * meanwhile gets a file of its own), none once completion has sealed the upload, and none when this process found a
 * staging file it did not write (an upload staged before a restart: completion then reads the layout from disk).
 * Thread-safe: methods synchronize on the instance.
 */
final class InOrderFile {

    /** Permission to write part {@code number} at {@code offset} of the staging file. */
    record Append(int number, long offset) {}

    /** A part held in the staging file: its number, where it starts, its size. */
    record Slice(int number, long offset, long size) {}

    private final boolean usable;
    private final List<Long> sizes = new ArrayList<>();
    private final List<String> digests = new ArrayList<>();
    private long length;
    private boolean writing;
    private boolean sealed;

    /** {@code usable} is false when a staging file from before this process exists: this state would not match it. */
    InOrderFile(boolean usable) {
        this.usable = usable;
    }

    /**
     * Permission to append part {@code number}, or null: not the next part, another append in flight, sealed, or
     * the file already holds {@code declaredSize} bytes. {@link #end} must follow, whatever happens.
     */
    synchronized Append begin(int number, long declaredSize) {
        if (!usable || writing || sealed || number != sizes.size() + 1 || length >= declaredSize) {
            return null;
        }
        writing = true;
        return new Append(number, length);
    }

    /** Records that the append's part, {@code size} bytes with {@code sha256}, is staged (under the upload's lock). */
    synchronized void appended(Append append, long size, String sha256) {
        if (append.number() == sizes.size() + 1 && append.offset() == length) {
            sizes.add(size);
            digests.add(sha256);
            length += size;
        }
    }

    /** Ends an append, staged or not. */
    synchronized void end(Append append) {
        writing = false;
    }

    /** How many parts the file holds (1..k). */
    synchronized int parts() {
        return sizes.size();
    }

    /** The sha256 of part {@code number} (1..k). */
    synchronized String sha256(int number) {
        return digests.get(number - 1);
    }

    /**
     * Gives up parts {@code from..k}: the file keeps 1..from-1. Returns the later parts (from+1..k), which the caller
     * copies into files of their own before it stages the new copy of part {@code from}.
     */
    synchronized List<Slice> dropFrom(int from) {
        List<Slice> later = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < sizes.size(); i++) {
            if (i + 1 > from) {
                later.add(new Slice(i + 1, offset, sizes.get(i)));
            }
            offset += sizes.get(i);
        }
        long kept = 0;
        for (int i = 0; i < from - 1; i++) {
            kept += sizes.get(i);
        }
        sizes.subList(from - 1, sizes.size()).clear();
        digests.subList(from - 1, digests.size()).clear();
        length = kept;
        return later;
    }

    /** Seals the file for a completion: false while an append is in flight. */
    synchronized boolean seal() {
        if (writing) {
            return false;
        }
        sealed = true;
        return true;
    }

    /** Reopens the file for appends after a completion that failed. */
    synchronized void unseal() {
        sealed = false;
    }
}
