package org.modelmarket.artifact.commit.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Data of {@code org.modelmarket.artifact.CommitCreated} on {@code artifact.commits} (key = listing id,
 * {@code aggregateversion} = the commit's position in the listing's history).
 *
 * @param listing the listing's {@code namespace/name}
 * @param commit the new commit's 40-hex id
 * @param parent the previous head, {@code null} for the first commit
 * @param changedPaths files added or replaced
 * @param deletedPaths files removed
 * @param totalSize bytes of every file of the commit's manifest
 * @param scan counts of the manifest's scan verdicts and the unsafe files with their findings
 */
public record CommitCreated(
        UUID listingId,
        String listing,
        String commit,
        String parent,
        String message,
        String author,
        List<String> changedPaths,
        List<String> deletedPaths,
        int fileCount,
        long totalSize,
        ScanSummary scan,
        Instant createdAt) {

    /** CloudEvent type. */
    public static final String TYPE = "org.modelmarket.artifact.CommitCreated";
    /** The topic, keyed by listing id. */
    public static final String TOPIC = "artifact.commits";

    /** How many files of the manifest got each verdict; {@code unsafe} lists the offending ones. */
    public record ScanSummary(int safe, int notScanned, int invalid, List<UnsafeFile> unsafe) {}

    /** An unsafe file and what makes it unsafe. */
    public record UnsafeFile(String path, List<String> findings) {}
}
