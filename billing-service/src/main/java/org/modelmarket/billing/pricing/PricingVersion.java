package org.modelmarket.billing.pricing;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One immutable pricing version of a listing, effective from a date; a private offer is a version with a buyer and an
 * expiry. Subscriptions and invoice lines point at the version they were priced with, so a later version never
 * changes what was charged.
 */
@Entity
@Table(name = "pricing_version")
public class PricingVersion extends PanacheEntityBase {

    @Id
    @Column(name = "pricing_id")
    public UUID id;

    @Column(name = "listing_id")
    public UUID listingId;

    public int version;

    @Column(name = "effective_from")
    public Instant effectiveFrom;

    public String currency;

    /** {@link PricingTerms} as JSON. */
    public String definition;

    @Column(name = "offer_buyer")
    public String offerBuyer;

    @Column(name = "offer_expires_at")
    public Instant offerExpiresAt;

    @Column(name = "offer_accepted_at")
    public Instant offerAcceptedAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    public boolean isOffer() {
        return offerBuyer != null;
    }
}
