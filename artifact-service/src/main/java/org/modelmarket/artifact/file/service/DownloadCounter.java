package org.modelmarket.artifact.file.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.commit.CommitFile;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.platform.outbox.OutboxWriter;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Trustworthy download counts: a {@code FileDownloaded} event is published only for weight files (not the README or
 * configs), once per caller (a user's subject, or an anonymous client's address digest) per file per UTC day. The
 * tally row and the outbox row commit together, before the first byte leaves. Callers only offer transfers that
 * start at byte 0: a resumed or later-range request is never a new download.
 */
@ApplicationScoped
public class DownloadCounter {

    private static final String TALLY = """
            insert into download_tally (day, listing_id, path, caller) values (?1, ?2, ?3, ?4)
            on conflict do nothing
            """;

    private final ListingAccess access;
    private final OutboxWriter outbox;
    private final ArtifactConfig config;

    public DownloadCounter(ListingAccess access, OutboxWriter outbox, ArtifactConfig config) {
        this.access = access;
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * Counts a download about to be sent, if it is one: {@code true} when a {@code FileDownloaded} was staged.
     *
     * @param revision the revision the caller asked for, as they wrote it
     * @param subject the caller's subject, {@code null} when anonymous
     * @param client the anonymous client's key (an address digest), used only when {@code subject} is null
     */
    public Uni<Boolean> count(FileDownload download, String revision, String subject, String client) {
        CommitFile file = download.file();
        if (!access.isWeightFile(download.listing(), file.path)) {
            return Uni.createFrom().item(false);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String caller = subject != null ? "sub:" + subject : "anon:" + client;
        UUID listingId = download.listing().id;
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(TALLY)
                        .setParameter(1, LocalDate.ofInstant(now, ZoneOffset.UTC))
                        .setParameter(2, listingId)
                        .setParameter(3, file.path)
                        .setParameter(4, caller)
                        .executeUpdate())
                .chain(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().item(false);
                    }
                    FileDownloaded event = new FileDownloaded(
                            UUID.randomUUID(),
                            listingId,
                            download.listing().coordinates(),
                            revision,
                            download.commit().id,
                            file.path,
                            file.size,
                            subject,
                            now);
                    // Not about the listing's state: no aggregateversion.
                    return outbox.append(
                                    FileDownloaded.TOPIC,
                                    FileDownloaded.AGGREGATE_TYPE,
                                    listingId.toString(),
                                    null,
                                    FileDownloaded.TYPE,
                                    now,
                                    event)
                            .replaceWith(true);
                }));
    }

    /** Drops tally rows older than the retention (they only need to outlive their day). */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        LocalDate cutoff = LocalDate.now(ZoneOffset.UTC)
                .minusDays(Math.max(2, config.downloads().tallyRetention().toDays()));
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery("delete from download_tally where day < ?1")
                                .setParameter(1, cutoff)
                                .executeUpdate()))
                .replaceWithVoid();
    }
}
