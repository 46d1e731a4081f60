package org.modelmarket.artifact.access.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.access.Entitlement;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Queries over the entitlement projection. */
@ApplicationScoped
public class EntitlementRepository implements PanacheRepositoryBase<Entitlement, Entitlement.Key> {

    /** The projection's row for this buyer and listing, or {@code null} (a projection miss). */
    public Uni<Entitlement> find(UUID listingId, String subject) {
        return findById(new Entitlement.Key(listingId, subject));
    }
}
