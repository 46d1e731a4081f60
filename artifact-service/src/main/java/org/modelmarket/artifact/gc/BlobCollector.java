package org.modelmarket.artifact.gc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.modelmarket.artifact.blob.BlobStore;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Deletes blobs no commit references and no open upload declared, once unused for the grace period. Each deletion
 * holds the blob's ledger row lock while it re-checks and deletes, so a concurrent upload that touches the row either
 * happened before (the blob is kept) or waits and then writes the blob again.
 */
@ApplicationScoped
public class BlobCollector {

    private static final Logger LOG = Logger.getLogger(BlobCollector.class);

    private static final String CANDIDATES = """
            select b.sha256 from blob b
            where b.last_used_at < ?1
              and not exists (select 1 from commit_file f where f.sha256 = b.sha256)
              and not exists (select 1 from upload_session u where u.sha256 = b.sha256 and u.status in ('OPEN', 'COMPLETING'))
            order by b.last_used_at
            limit ?2
            """;

    /** Locks the row only if it is still collectable; skips rows another replica or an upload holds. */
    private static final String LOCK = """
            select b.sha256 from blob b
            where b.sha256 = ?1 and b.last_used_at < ?2
              and not exists (select 1 from commit_file f where f.sha256 = b.sha256)
              and not exists (select 1 from upload_session u where u.sha256 = b.sha256 and u.status in ('OPEN', 'COMPLETING'))
            for update skip locked
            """;

    private final Mutiny.SessionFactory sessions;
    private final BlobStore blobs;
    private final ArtifactConfig config;
    private final Vertx vertx;

    public BlobCollector(Mutiny.SessionFactory sessions, BlobStore blobs, ArtifactConfig config, Vertx vertx) {
        this.sessions = sessions;
        this.blobs = blobs;
        this.config = config;
        this.vertx = vertx;
    }

    @Scheduled(
            every = "${modelmarket.artifact.gc.interval:15m}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Blocking
    void scheduled() {
        if (config.gc().enabled()) {
            collect(config.gc().grace());
        }
    }

    /** One collection: the digests deleted. Blocking (the store's delete is). */
    public List<String> collect(Duration grace) {
        Instant cutoff = Instant.now().minus(grace);
        List<String> deleted = new ArrayList<>();
        List<String> candidates = await(() -> sessions.withSession(s -> s.createNativeQuery(CANDIDATES, String.class)
                .setParameter(1, cutoff)
                .setParameter(2, 1000)
                .getResultList()));
        for (String sha256 : candidates) {
            Boolean done = await(() -> sessions.withTransaction(s -> s.createNativeQuery(LOCK, String.class)
                    .setParameter(1, sha256)
                    .setParameter(2, cutoff)
                    .getResultList()
                    .chain(locked -> {
                        if (locked.isEmpty()) {
                            return Uni.createFrom().item(false);
                        }
                        // Deleting inside the row lock: an upload touching this blob waits for our commit.
                        return vertx.executeBlocking(Uni.createFrom().item(() -> {
                                    try {
                                        blobs.delete(sha256);
                                        return true;
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                }))
                                .call(() -> s.createNativeQuery("delete from blob where sha256 = ?1")
                                        .setParameter(1, sha256)
                                        .executeUpdate());
                    })));
            if (Boolean.TRUE.equals(done)) {
                deleted.add(sha256);
            }
        }
        if (!deleted.isEmpty()) {
            LOG.infof("Blob collector deleted %d unreferenced blobs", deleted.size());
        }
        return deleted;
    }

    private static <T> T await(java.util.function.Supplier<Uni<T>> step) {
        try {
            return VertxContextSupport.subscribeAndAwait(step);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
