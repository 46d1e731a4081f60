package org.modelmarket.billing.subscription;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The entitlement of one buyer to one listing: what {@code billing.entitlements} carries, versioned per key. */
@Entity
@Table(name = "entitlement")
public class EntitlementState extends PanacheEntityBase {

    /** (listing, subject). */
    @Embeddable
    public record Key(
            @Column(name = "listing_id") UUID listingId,
            @Column(name = "subject") String subject) implements java.io.Serializable {}

    @EmbeddedId
    public Key key;

    public long version;

    /** {@code active} or {@code inactive}. */
    public String status;

    @Column(name = "subscription_status")
    public String subscriptionStatus;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    /** {@code subscription}, {@code trial} or {@code private-offer}. */
    public String source;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** JSON array of {@code {"name":..., "includedQuantity":...}}. */
    public String dimensions;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
