package org.modelmarket.artifact.upload.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.upload.UploadSession;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Queries over multipart upload sessions. */
@ApplicationScoped
public class UploadRepository implements PanacheRepositoryBase<UploadSession, UUID> {

    /** Whether the listing completed an upload of this content (so it may commit it by digest). */
    public Uni<Boolean> completedBy(UUID listingId, String sha256) {
        return count(
                        "listingId = ?1 and sha256 = ?2 and status = ?3",
                        listingId,
                        sha256,
                        UploadSession.Status.COMPLETED)
                .map(n -> n > 0);
    }

    /** Moves a session from one status to another if it is still in {@code from}; the number of rows changed. */
    public Uni<Integer> transition(UUID id, UploadSession.Status from, UploadSession.Status to) {
        return update("status = ?1, updatedAt = ?2 where id = ?3 and status = ?4", to, Instant.now(), id, from);
    }

    /** Sessions past their expiry (any status): the cleaner deletes them and their staged parts. */
    public Uni<List<UploadSession>> expired(Instant now, int limit) {
        return find("expiresAt < ?1", now).range(0, limit - 1).list();
    }

    /** Whether an open or completing upload declared this content (the collector must not delete it). */
    public Uni<Boolean> inFlight(String sha256) {
        return count(
                        "sha256 = ?1 and status in (?2, ?3)",
                        sha256,
                        UploadSession.Status.OPEN,
                        UploadSession.Status.COMPLETING)
                .map(n -> n > 0);
    }
}
