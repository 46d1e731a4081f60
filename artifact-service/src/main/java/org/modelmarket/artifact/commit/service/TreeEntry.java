package org.modelmarket.artifact.commit.service;

import java.time.Instant;
import java.util.List;

import org.modelmarket.artifact.scan.ScanResult;

/**
 * One entry of a tree listing.
 *
 * @param type {@code file} or {@code directory}
 * @param size a file's size, or the total size of a directory's files
 * @param sha256 a file's digest; {@code null} for directories
 * @param lastCommit the newest commit that changed the file (or anything under the directory)
 * @param scan a file's scan result; {@code null} for directories
 * @param open whether a file is readable before buying by the listing's open-file rule (as in the file list);
 *     {@code null} for directories
 */
public record TreeEntry(
        String type, String path, long size, String sha256, LastCommit lastCommit, Scan scan, Boolean open) {

    /** A file entry with its {@code open} flag set; directories stay as they are. */
    public TreeEntry withOpen(boolean isOpen) {
        return "file".equals(type) ? new TreeEntry(type, path, size, sha256, lastCommit, scan, isOpen) : this;
    }

    /** The commit that last changed an entry. */
    public record LastCommit(String id, String message, Instant date) {}

    /** A file's scan verdict and findings. */
    public record Scan(ScanResult.Verdict verdict, List<String> findings) {}
}
