package org.modelmarket.billing.listing.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.listing.Listing;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Queries over the listing projection. */
@ApplicationScoped
public class ListingRepository implements PanacheRepositoryBase<Listing, UUID> {

    /** The listing at {@code namespace/name}, or {@code null}. */
    public Uni<Listing> findByCoordinates(String namespace, String name) {
        return find("namespace = ?1 and name = ?2", namespace, name).firstResult();
    }

    /**
     * Removes a different listing that still holds these coordinates: the catalog deleted it and reused the name,
     * and its tombstone (keyed by the old id, so possibly on another partition) has not arrived yet.
     */
    public Uni<Long> deleteOthersAt(String namespace, String name, UUID keep) {
        return delete("namespace = ?1 and name = ?2 and id <> ?3", namespace, name, keep);
    }
}
