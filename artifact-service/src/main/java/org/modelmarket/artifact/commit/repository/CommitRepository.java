package org.modelmarket.artifact.commit.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.commit.Branch;
import org.modelmarket.artifact.commit.Commit;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Queries over commits, their manifests and branches. */
@ApplicationScoped
public class CommitRepository implements PanacheRepositoryBase<Commit, Commit.Key> {

    /** The commit a branch points at, or {@code null}. */
    public Uni<Commit> atBranch(UUID listingId, String branch) {
        return Panache.getSession()
                .chain(session -> session.find(Branch.class, new Branch.Key(listingId, branch)))
                .chain(ref -> ref == null ? Uni.createFrom().nullItem() : commit(listingId, ref.commitId));
    }

    /** A commit of the listing, or {@code null}. */
    public Uni<Commit> commit(UUID listingId, String commitId) {
        return findById(new Commit.Key(listingId, commitId));
    }

    /** The listing's history, newest first. */
    public Uni<List<Commit>> history(UUID listingId, int offset, int limit) {
        return find("listingId = ?1", Sort.descending("seq"), listingId)
                .range(offset, offset + limit - 1)
                .list();
    }

    /** The number of commits of the listing. */
    public Uni<Long> countCommits(UUID listingId) {
        return count("listingId = ?1", listingId);
    }

    /** The commits with these ids (to describe each tree entry's last commit). */
    public Uni<List<Commit>> commits(UUID listingId, List<String> ids) {
        return list("listingId = ?1 and id in ?2", listingId, ids);
    }

    /** Points {@code branch} at {@code commitId}, creating the branch if needed. */
    public Uni<Void> moveBranch(UUID listingId, String branch, String commitId) {
        return Panache.getSession()
                .chain(session -> session.find(Branch.class, new Branch.Key(listingId, branch))
                        .chain(existing -> {
                            Branch ref = existing != null ? existing : new Branch();
                            ref.listingId = listingId;
                            ref.name = branch;
                            ref.commitId = commitId;
                            ref.updatedAt = java.time.Instant.now();
                            return existing != null ? Uni.createFrom().voidItem() : session.persist(ref);
                        }));
    }
}
