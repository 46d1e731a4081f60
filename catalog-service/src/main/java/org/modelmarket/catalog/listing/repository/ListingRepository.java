package org.modelmarket.catalog.listing.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.listing.Listing;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Queries on listings. */
@ApplicationScoped
public class ListingRepository implements PanacheRepositoryBase<Listing, UUID> {

    /** The listing {@code namespace/name}, or {@code null}. */
    @WithSession
    public Uni<Listing> findByCoordinates(String namespace, String name) {
        return find("namespace = ?1 and name = ?2", namespace, name).firstResult();
    }

    @WithSession
    public Uni<Boolean> existsByCoordinates(String namespace, String name) {
        return count("namespace = ?1 and name = ?2", namespace, name).map(count -> count > 0);
    }
}
