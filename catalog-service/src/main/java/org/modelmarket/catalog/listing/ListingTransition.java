package org.modelmarket.catalog.listing;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One entry of a listing's lifecycle history: who moved it from which status to which, when and why. */
@Entity
@Table(name = "listing_transition")
public class ListingTransition {

    @Id
    public UUID id;

    /** Insertion order, assigned by the database. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "listing_id", nullable = false, updatable = false)
    public UUID listingId;

    /** create, submit, withdraw, approve, reject, deprecate, archive, or publish (verified vendor, no review). */
    @Column(nullable = false, updatable = false)
    public String action;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status", updatable = false)
    public ListingStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false, updatable = false)
    public ListingStatus toStatus;

    /** Keycloak subject of who did it. */
    @Column(nullable = false, updatable = false)
    public String actor;

    @Column(updatable = false)
    public String reason;

    @Column(nullable = false, updatable = false)
    public Instant at;

    public static ListingTransition of(
            UUID listingId,
            String action,
            ListingStatus from,
            ListingStatus to,
            String actor,
            String reason,
            Instant at) {
        ListingTransition transition = new ListingTransition();
        transition.id = UUID.randomUUID();
        transition.listingId = listingId;
        transition.action = action;
        transition.fromStatus = from;
        transition.toStatus = to;
        transition.actor = actor;
        transition.reason = reason;
        transition.at = at;
        return transition;
    }
}
