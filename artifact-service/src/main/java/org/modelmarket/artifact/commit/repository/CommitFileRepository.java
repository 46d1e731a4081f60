package org.modelmarket.artifact.commit.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.common.AffectedEntities;
import org.modelmarket.artifact.commit.CommitFile;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Queries over commit manifests. */
@ApplicationScoped
public class CommitFileRepository implements PanacheRepositoryBase<CommitFile, CommitFile.Key> {

    /** Copies the parent's manifest rows, except the changed paths, into a new commit (keeping last_commit). */
    private static final String CARRY_OVER = """
            insert into commit_file (listing_id, commit_id, path, size, sha256, last_commit, scan_verdict, scan_findings)
            select listing_id, ?3, path, size, sha256, last_commit, scan_verdict, scan_findings
            from commit_file
            where listing_id = ?1 and commit_id = ?2 and not (path = any(?4))
            """;

    /** A commit's whole manifest, by path. */
    public Uni<List<CommitFile>> files(UUID listingId, String commitId) {
        return find("listingId = ?1 and commitId = ?2", Sort.by("path"), listingId, commitId)
                .list();
    }

    /** The files of a commit at {@code folder} or below it (everything for an empty folder), by path. */
    public Uni<List<CommitFile>> filesUnder(UUID listingId, String commitId, String folder) {
        if (folder.isEmpty()) {
            return files(listingId, commitId);
        }
        String escaped = folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return find(
                        "listingId = ?1 and commitId = ?2 and (path = ?3 or path like ?4 escape '\\')",
                        Sort.by("path"),
                        listingId,
                        commitId,
                        folder,
                        escaped + "/%")
                .list();
    }

    /** One file of a commit, or {@code null}. */
    public Uni<CommitFile> file(UUID listingId, String commitId, String path) {
        return find("listingId = ?1 and commitId = ?2 and path = ?3", listingId, commitId, path)
                .firstResult();
    }

    /** Copies the unchanged part of {@code parent}'s manifest into {@code commitId}. */
    public Uni<Integer> carryOver(UUID listingId, String parent, String commitId, List<String> changedPaths) {
        return getSession()
                .chain(session -> session.createNativeQuery(CARRY_OVER, new AffectedEntities(CommitFile.class))
                        .setParameter(1, listingId)
                        .setParameter(2, parent)
                        .setParameter(3, commitId)
                        .setParameter(4, changedPaths.toArray(String[]::new))
                        .executeUpdate());
    }

    /** Whether any commit of any listing references the blob. */
    public Uni<Boolean> blobReferenced(String sha256) {
        return count("sha256 = ?1", sha256).map(n -> n > 0);
    }

    /** Whether any commit of this listing references the blob. */
    public Uni<Boolean> blobReferencedBy(UUID listingId, String sha256) {
        return count("listingId = ?1 and sha256 = ?2", listingId, sha256).map(n -> n > 0);
    }
}
