package org.modelmarket.catalog.listing;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A user's acceptance of a gated listing's terms (identified by their SHA-256, so new terms need a new accept). */
@Entity
@Table(name = "gate_acceptance")
@IdClass(GateAcceptance.Key.class)
public class GateAcceptance {

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    @Id
    public String subject;

    @Column(name = "terms_sha256", nullable = false)
    public String termsSha256;

    @Column(name = "accepted_at", nullable = false)
    public Instant acceptedAt;

    /** Composite key. */
    public record Key(UUID listingId, String subject) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
