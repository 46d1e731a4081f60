package org.modelmarket.catalog.listing.service;

import java.util.List;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.Clock;
import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.ListingStats;
import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.event.DomainEvent;
import org.modelmarket.catalog.listing.event.ListingChanged;
import org.modelmarket.catalog.listing.mapping.ListingMapper;
import org.modelmarket.catalog.listing.repository.ListingRepository;
import org.modelmarket.catalog.listing.repository.ListingStatsRepository;
import org.modelmarket.catalog.vendor.Vendor;
import org.modelmarket.platform.outbox.OutboxWriter;

import io.smallrye.mutiny.Uni;

/**
 * Writes a listing's events into the outbox, inside the caller's transaction: the new full state
 * (ListingChanged on {@code catalog.listings}) under the next state revision, plus the domain events that explain
 * it (on {@code catalog.events}, same revision). The revision lives on the listing's stats row and is bumped under
 * that row's lock, so two transactions on one listing get strictly increasing revisions in commit order.
 */
@ApplicationScoped
public class ListingEvents {

    /** A domain event to emit: its name (type suffix) and data. */
    public record Named(String name, DomainEvent data) {}

    private final ListingRepository listings;
    private final ListingStatsRepository stats;
    private final ListingMapper mapper;
    private final OutboxWriter outbox;

    public ListingEvents(
            ListingRepository listings, ListingStatsRepository stats, ListingMapper mapper, OutboxWriter outbox) {
        this.listings = listings;
        this.stats = stats;
        this.mapper = mapper;
        this.outbox = outbox;
    }

    /** For a listing just persisted: creates its stats row at revision 1 and writes its first events. */
    public Uni<ListingView> created(Listing listing, Vendor vendor, LongFunction<List<Named>> domainEvents) {
        return listings.flush().chain(() -> {
            ListingStats row = new ListingStats();
            row.listingId = listing.id;
            row.revision = 1;
            return stats.persist(row).chain(saved -> write(listing, vendor, saved, domainEvents));
        });
    }

    /** For a changed listing: flushes it (so its edit version is current), bumps the revision, writes events. */
    public Uni<ListingView> changed(Listing listing, Vendor vendor, LongFunction<List<Named>> domainEvents) {
        return listings.flush().chain(() -> stats.findForUpdate(listing.id)).chain(row -> {
            row.revision++;
            row.dirty = false;
            return write(listing, vendor, row, domainEvents);
        });
    }

    /** For a stats change only: recomputes the rolling download windows, bumps the revision, writes the state. */
    public Uni<ListingView> statsChanged(Listing listing, Vendor vendor, ListingStats locked) {
        return stats.downloadsSince(listing.id, 30)
                .chain(last30 -> stats.downloadsSince(listing.id, 7).chain(last7 -> {
                    locked.downloads30d = last30;
                    locked.downloads7d = last7;
                    locked.revision++;
                    locked.dirty = false;
                    return write(listing, vendor, locked, revision -> List.of());
                }));
    }

    /** Domain events only (no state change): they carry the current revision. */
    public Uni<Void> domainOnly(Listing listing, LongFunction<List<Named>> events) {
        return stats.findById(listing.id).chain(row -> appendAll(listing, row.revision, events.apply(row.revision)));
    }

    private Uni<ListingView> write(
            Listing listing, Vendor vendor, ListingStats row, LongFunction<List<Named>> domainEvents) {
        ListingView view = mapper.toView(listing, vendor, row);
        return outbox.append(
                        ListingChanged.TOPIC,
                        ListingChanged.AGGREGATE_TYPE,
                        listing.id.toString(),
                        row.revision,
                        ListingChanged.TYPE,
                        Clock.now(),
                        mapper.toEvent(listing, vendor, row))
                .chain(() -> appendAll(listing, row.revision, domainEvents.apply(row.revision)))
                .replaceWith(view);
    }

    private Uni<Void> appendAll(Listing listing, long revision, List<Named> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Named event : events) {
            chain = chain.chain(() -> outbox.append(
                            DomainEvent.TOPIC,
                            ListingChanged.AGGREGATE_TYPE,
                            listing.id.toString(),
                            revision,
                            DomainEvent.TYPE_PREFIX + event.name(),
                            Clock.now(),
                            event.data())
                    .replaceWithVoid());
        }
        return chain;
    }
}
