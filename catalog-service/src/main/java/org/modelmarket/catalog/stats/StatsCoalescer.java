package org.modelmarket.catalog.stats;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.catalog.listing.repository.ListingRepository;
import org.modelmarket.catalog.listing.repository.ListingStatsRepository;
import org.modelmarket.catalog.listing.service.ListingEvents;
import org.modelmarket.catalog.vendor.repository.VendorRepository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Publishes stats-only changes, coalesced: counters change many times a second (a download burst), but a listing's
 * new state goes to {@code catalog.listings} at most once per run (every second), under the next revision. Also
 * refreshes the rolling 7/30-day download windows once a day (a day leaving the window changes them).
 */
@ApplicationScoped
public class StatsCoalescer {

    private static final Logger LOG = Logger.getLogger(StatsCoalescer.class);

    private final ListingStatsRepository stats;
    private final ListingRepository listings;
    private final VendorRepository vendors;
    private final ListingEvents events;
    private final StatsConfig config;

    public StatsCoalescer(
            ListingStatsRepository stats,
            ListingRepository listings,
            VendorRepository vendors,
            ListingEvents events,
            StatsConfig config) {
        this.stats = stats;
        this.listings = listings;
        this.vendors = vendors;
        this.events = events;
        this.config = config;
    }

    @Scheduled(
            every = "${modelmarket.catalog.stats.coalesce-interval:1s}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void run() {
        try {
            flushDirty();
        } catch (Throwable e) {
            LOG.warn("Stats coalescer run failed; retrying on the next run", e);
        }
    }

    /** Publishes the state of every listing whose stats changed; returns how many. */
    public int flushDirty() throws Throwable {
        List<UUID> dirty = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> stats.dirtyListings(config.batchSize())));
        int published = 0;
        for (UUID listingId : dirty) {
            if (VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> flushOne(listingId)))) {
                published++;
            }
        }
        return published;
    }

    private Uni<Boolean> flushOne(UUID listingId) {
        return stats.findForUpdate(listingId).chain(row -> {
            if (row == null || !row.dirty) {
                return Uni.createFrom().item(false);
            }
            return listings.findById(listingId)
                    .chain(listing -> vendors.findById(listing.namespace)
                            .chain(vendor -> events.statsChanged(listing, vendor, row)))
                    .replaceWith(true);
        });
    }

    /** Days leaving the 7/30-day windows change them: mark those listings for republication. */
    @Scheduled(
            cron = "${modelmarket.catalog.stats.window-refresh-cron:0 5 0 * * ?}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void refreshWindows() {
        try {
            int marked = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                    .chain(session -> session.createNativeQuery("""
                            update listing_stats set dirty = true where listing_id in (
                                select listing_id from listing_download_daily
                                where day in (current_date - 7, current_date - 30))""").executeUpdate())));
            LOG.debugf("Download windows moved for %d listings", marked);
        } catch (Throwable e) {
            LOG.warn("Download window refresh failed", e);
        }
    }
}
