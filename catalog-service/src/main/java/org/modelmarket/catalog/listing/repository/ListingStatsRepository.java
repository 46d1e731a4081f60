package org.modelmarket.catalog.listing.repository;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.catalog.listing.ListingStats;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Stats rows: read as entities, counters changed by single SQL statements (so concurrent increments never lose
 * updates and never need the entity in memory).
 */
@ApplicationScoped
public class ListingStatsRepository implements PanacheRepositoryBase<ListingStats, UUID> {

    public Uni<ListingStats> findForUpdate(UUID listingId) {
        return findById(listingId, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<List<ListingStats>> findAll(Collection<UUID> listingIds) {
        return listingIds.isEmpty() ? Uni.createFrom().item(List.of()) : list("listingId in ?1", listingIds);
    }

    /** Runs one counter update ({@code set ...} part, with :id bound to the listing) and marks the stats dirty. */
    public Uni<Integer> adjust(UUID listingId, String assignments) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "update listing_stats set " + assignments + ", dirty = true where listing_id = :id")
                        .setParameter("id", listingId)
                        .executeUpdate());
    }

    /** Up to {@code limit} listings whose stats changed since their last state event. */
    public Uni<List<UUID>> dirtyListings(int limit) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select listing_id from listing_stats where dirty limit :limit", UUID.class)
                        .setParameter("limit", limit)
                        .getResultList());
    }

    /** Downloads of the last {@code days} days (today included, UTC days like the buckets) from the daily buckets. */
    public Uni<Long> downloadsSince(UUID listingId, int days) {
        LocalDate after = LocalDate.now(ZoneOffset.UTC).minusDays(days);
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select coalesce(sum(downloads), 0) from listing_download_daily "
                                        + "where listing_id = :id and day > :after",
                                Long.class)
                        .setParameter("id", listingId)
                        .setParameter("after", after)
                        .getSingleResult());
    }
}
