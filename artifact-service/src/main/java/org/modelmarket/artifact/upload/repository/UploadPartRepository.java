package org.modelmarket.artifact.upload.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.common.AffectedEntities;
import org.modelmarket.artifact.upload.UploadPart;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Queries over received parts. */
@ApplicationScoped
public class UploadPartRepository implements PanacheRepositoryBase<UploadPart, UploadPart.Key> {

    private static final String UPSERT = """
            insert into upload_part (upload_id, part_number, size, sha256, crc32c, received_at)
            values (?1, ?2, ?3, ?4, ?5, now())
            on conflict (upload_id, part_number)
            do update set size = excluded.size, sha256 = excluded.sha256, crc32c = excluded.crc32c, received_at = now()
            """;

    /** The parts received, by number. */
    public Uni<List<UploadPart>> parts(UUID uploadId) {
        return find("uploadId = ?1", Sort.by("number"), uploadId).list();
    }

    /** Records a part, replacing an earlier upload of the same number (clients retry parts freely). */
    public Uni<Integer> upsert(UUID uploadId, int number, long size, String sha256, String crc32c) {
        return getSession()
                .chain(session -> session.createNativeQuery(UPSERT, new AffectedEntities(UploadPart.class))
                        .setParameter(1, uploadId)
                        .setParameter(2, number)
                        .setParameter(3, size)
                        .setParameter(4, sha256)
                        .setParameter(5, crc32c)
                        .executeUpdate());
    }
}
