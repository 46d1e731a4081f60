package org.modelmarket.artifact.file.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.common.AffectedEntities;
import org.modelmarket.artifact.file.FileEntry;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Queries over file metadata. */
@ApplicationScoped
public class FileEntryRepository implements PanacheRepository<FileEntry> {

    private static final String UPSERT = """
            insert into file_entry (listing_id, revision, path, size, sha256)
            values (?1, ?2, ?3, ?4, ?5)
            on conflict (listing_id, revision, path)
            do update set size = excluded.size, sha256 = excluded.sha256, updated_at = now()
            """;

    /** Files of a listing revision, by path. */
    public Uni<List<FileEntry>> list(UUID listingId, String revision) {
        return list("listingId = ?1 and revision = ?2", Sort.by("path"), listingId, revision);
    }

    /** One file, or {@code null}. */
    public Uni<FileEntry> find(UUID listingId, String revision, String path) {
        return find("listingId = ?1 and revision = ?2 and path = ?3", listingId, revision, path)
                .firstResult();
    }

    /**
     * Records a file, replacing the one at the same path. One statement, so two concurrent uploads of the same path
     * cannot both insert: the last one wins.
     */
    public Uni<Integer> upsert(UUID listingId, String revision, String path, long size, String sha256) {
        return getSession()
                .chain(session -> session.createNativeQuery(UPSERT, new AffectedEntities(FileEntry.class))
                        .setParameter(1, listingId)
                        .setParameter(2, revision)
                        .setParameter(3, path)
                        .setParameter(4, size)
                        .setParameter(5, sha256)
                        .executeUpdate());
    }
}
