package org.modelmarket.artifact.commit.rest;

import java.time.Instant;
import java.util.List;

import org.modelmarket.artifact.commit.Commit;
import org.modelmarket.artifact.commit.service.CommitOutcome;

/**
 * A commit as the API shows it.
 *
 * @param unsafe whether any file of the commit's manifest was scanned as unsafe ({@code unsafeFiles} of them)
 * @param created for commit requests: whether a new commit was made (false when nothing changed)
 * @param changedPaths for commit requests: paths added or replaced
 * @param deletedPaths for commit requests: paths removed
 */
public record CommitView(
        String id,
        String parent,
        String message,
        String author,
        Instant createdAt,
        int fileCount,
        long totalSize,
        boolean unsafe,
        int unsafeFiles,
        Boolean created,
        List<String> changedPaths,
        List<String> deletedPaths) {

    public static CommitView of(Commit c) {
        return new CommitView(
                c.id,
                c.parentId,
                c.message,
                c.author,
                c.createdAt,
                c.fileCount,
                c.totalSize,
                c.unsafeFiles > 0,
                c.unsafeFiles,
                null,
                null,
                null);
    }

    public static CommitView of(CommitOutcome outcome) {
        Commit c = outcome.commit();
        return new CommitView(
                c.id,
                c.parentId,
                c.message,
                c.author,
                c.createdAt,
                c.fileCount,
                c.totalSize,
                c.unsafeFiles > 0,
                c.unsafeFiles,
                outcome.created(),
                outcome.changedPaths(),
                outcome.deletedPaths());
    }
}
