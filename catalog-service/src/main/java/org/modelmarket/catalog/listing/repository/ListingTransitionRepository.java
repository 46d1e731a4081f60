package org.modelmarket.catalog.listing.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.listing.ListingTransition;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** A listing's lifecycle history. */
@ApplicationScoped
public class ListingTransitionRepository implements PanacheRepositoryBase<ListingTransition, UUID> {

    public Uni<List<ListingTransition>> history(UUID listingId) {
        return list("listingId", Sort.ascending("seq"), listingId);
    }
}
