package org.modelmarket.artifact.listing.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.Visibility;
import org.modelmarket.artifact.listing.repository.ListingRepository;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the listing projection in step with {@code catalog.listings}. Idempotent by aggregate version: events are
 * keyed by listing id, so one listing's events arrive in order and a redelivered or older event is skipped.
 */
@ApplicationScoped
public class ListingProjectionService {

    private final ListingRepository listings;

    public ListingProjectionService(ListingRepository listings) {
        this.listings = listings;
    }

    /** Applies a listing change unless the projection already holds this version or a newer one. */
    @WithTransaction
    public Uni<ProjectionOutcome> apply(ListingChanged event) {
        return listings.findById(event.listingId()).chain(existing -> {
            if (existing != null && existing.aggregateVersion >= event.aggregateVersion()) {
                return Uni.createFrom().item(ProjectionOutcome.IGNORED);
            }
            Listing listing = existing != null ? existing : new Listing();
            listing.id = event.listingId();
            listing.namespace = event.namespace();
            listing.name = event.name();
            listing.owners = event.owners().toArray(String[]::new);
            listing.visibility = Visibility.fromEvent(event.visibility());
            listing.priceType = event.priceType();
            listing.gated = event.gated();
            listing.termsVersion = event.termsVersion();
            listing.aggregateVersion = event.aggregateVersion();
            listing.updatedAt = Instant.now();
            return listings.deleteOthersAt(event.namespace(), event.name(), event.listingId())
                    .chain(ignored -> listings.persist(listing))
                    .replaceWith(ProjectionOutcome.APPLIED);
        });
    }

    /** Applies a tombstone: the listing is gone. */
    @WithTransaction
    public Uni<ProjectionOutcome> remove(UUID listingId) {
        return listings.deleteById(listingId)
                .map(deleted -> deleted ? ProjectionOutcome.DELETED : ProjectionOutcome.IGNORED);
    }

    /** The listing at {@code namespace/name}, or {@code null}. */
    @WithSession
    public Uni<Listing> find(String namespace, String name) {
        return listings.findByCoordinates(namespace, name);
    }
}
