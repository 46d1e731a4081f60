package org.modelmarket.billing.listing;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A listing as billing-service knows it: a projection of {@code catalog.listings}, never edited here. */
@Entity
@Table(name = "listing")
public class Listing {

    @Id
    @Column(name = "listing_id")
    public UUID id;

    public String namespace;

    public String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "price_type")
    public PriceType priceType;

    /** The catalog aggregate version last applied; older or equal events are ignored. */
    @Column(name = "aggregate_version")
    public long aggregateVersion;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Subjects of the vendor accounts that own the listing (catalog's {@code owners}). */
    @Column(name = "owners", columnDefinition = "text[]")
    public String[] owners = new String[0];

    /** Whether {@code subject} is one of the listing's owners. */
    public boolean ownedBy(String subject) {
        for (String owner : owners) {
            if (owner.equals(subject)) {
                return true;
            }
        }
        return false;
    }

    /** The HF-style id {@code namespace/name}. */
    public String coordinates() {
        return namespace + "/" + name;
    }
}
