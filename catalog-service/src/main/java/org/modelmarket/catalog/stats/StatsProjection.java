package org.modelmarket.catalog.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.platform.consumer.ProcessedEvents;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies artifact and billing events to the catalog's own tables, idempotently: the event id goes into the
 * platform's processed-event table (consumer = topic) in the same transaction as the effect, and an id seen before
 * changes nothing. Effects are
 * SQL increments on the stats row (marked dirty: the {@link StatsCoalescer} publishes the new state), the daily
 * download buckets, and the facts reviews depend on (who downloaded, who holds an active entitlement).
 */
@ApplicationScoped
public class StatsProjection {

    private final ProcessedEvents processed;

    public StatsProjection(ProcessedEvents processed) {
        this.processed = processed;
    }

    /** A FileDownloaded event's data, as the projection needs it. */
    public record Download(String eventId, UUID listingId, String subject, Instant downloadedAt) {}

    /** An EntitlementChanged event's data, as the projection needs it. */
    public record Entitlement(
            String eventId, UUID listingId, String subject, String status, String source, Instant time) {}

    /** Returns false for a duplicate (already processed) event. */
    public Uni<Boolean> apply(Download event) {
        return Panache.withTransaction(() -> processed
                .firstTime(StatsConsumers.DOWNLOADS, event.eventId())
                .call(first -> {
                    if (!first) {
                        return Uni.createFrom().voidItem();
                    }
                    LocalDate day = LocalDate.ofInstant(
                            event.downloadedAt() == null ? Instant.now() : event.downloadedAt(), ZoneOffset.UTC);
                    Uni<Integer> effect = update(
                                    "update listing_stats set downloads = downloads + 1, dirty = true "
                                            + "where listing_id = :id",
                                    event.listingId(),
                                    null)
                            .chain(() -> Panache.getSession()
                                    .chain(session -> session.createNativeQuery("""
                            insert into listing_download_daily (listing_id, day, downloads) values (:id, :day, 1)
                            on conflict (listing_id, day) do update set downloads = listing_download_daily.downloads + 1""")
                                            .setParameter("id", event.listingId())
                                            .setParameter("day", day)
                                            .executeUpdate()));
                    if (event.subject() != null && !event.subject().isBlank()) {
                        effect = effect.chain(() -> update("""
                        insert into buyer_download (listing_id, subject, first_at) values (:id, :subject, now())
                        on conflict do nothing""", event.listingId(), event.subject()));
                    }
                    return effect;
                }));
    }

    /** Returns false for a duplicate (already processed) event. */
    public Uni<Boolean> apply(Entitlement event) {
        return Panache.withTransaction(() -> processed
                .firstTime(StatsConsumers.ENTITLEMENTS, event.eventId())
                .call(first -> {
                    if (!first) {
                        return Uni.createFrom().voidItem();
                    }
                    return Panache.getSession()
                            .chain(session -> session.createNativeQuery("""
                    insert into entitlement (entitlement_key, listing_id, subject, status, source, updated_at)
                    values (:key, :id, :subject, :status, :source, :time)
                    on conflict (entitlement_key) do update set status = excluded.status, source = excluded.source,
                        updated_at = excluded.updated_at""")
                                    .setParameter("key", event.listingId() + ":" + event.subject())
                                    .setParameter("id", event.listingId())
                                    .setParameter("subject", event.subject())
                                    .setParameter("status", event.status())
                                    .setParameter("source", event.source())
                                    .setParameter("time", event.time() == null ? Instant.now() : event.time())
                                    .executeUpdate())
                            .chain(() -> update("""
                            update listing_stats set subscribers = (select count(*) from entitlement e
                                where e.listing_id = :id and e.status = 'active' and e.source <> 'free'), dirty = true
                            where listing_id = :id""", event.listingId(), null));
                }));
    }

    private static Uni<Integer> update(String sql, UUID listingId, String subject) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql).setParameter("id", listingId);
            if (subject != null) {
                query.setParameter("subject", subject);
            }
            return query.executeUpdate();
        });
    }
}
