package org.modelmarket.artifact.gc;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/**
 * The service's record of the blobs it stored ({@code blob} table): every use of a blob touches its row, and the
 * {@link BlobCollector} only deletes blobs whose row has been untouched for the grace period.
 */
@ApplicationScoped
public class BlobLedger {

    private static final String TOUCH = """
            insert into blob (sha256, size) values (?1, ?2)
            on conflict (sha256) do update set last_used_at = now()
            """;

    private final Mutiny.SessionFactory sessions;

    public BlobLedger(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Records a use of the blob now (in its own short transaction, so the collector sees it at once). */
    public Uni<Void> touch(String sha256, long size) {
        return sessions.withTransaction(session -> session.createNativeQuery(TOUCH)
                        .setParameter(1, sha256)
                        .setParameter(2, size)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
