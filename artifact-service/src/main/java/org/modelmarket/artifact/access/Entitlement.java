package org.modelmarket.artifact.access;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** Whether a buyer may use a listing now: the projection of billing's {@code EntitlementChanged} (full state). */
@Entity
@Table(name = "entitlement")
@IdClass(Entitlement.Key.class)
public class Entitlement {

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    @Id
    public String subject;

    /** billing's {@code status == active} (trial, active or cancel_pending subscriptions). */
    public boolean active;

    /** billing's {@code subscriptionStatus}, for diagnostics. */
    public String status;

    /** When the entitlement ends on its own, if it does. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** billing's {@code aggregateversion}; older or equal events are ignored. */
    @Column(name = "aggregate_version")
    public long aggregateVersion;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Whether it grants access at {@code now}. */
    public boolean grants(Instant now) {
        return active && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** Composite key (listing, subject). */
    public static class Key implements Serializable {
        public UUID listingId;
        public String subject;

        public Key() {}

        public Key(UUID listingId, String subject) {
            this.listingId = listingId;
            this.subject = subject;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(listingId, k.listingId) && Objects.equals(subject, k.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(listingId, subject);
        }
    }
}
