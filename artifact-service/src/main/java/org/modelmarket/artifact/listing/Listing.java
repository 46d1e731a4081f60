package org.modelmarket.artifact.listing;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A listing as artifact-service knows it: a projection of {@code catalog.listings}, never edited here. */
@Entity
@Table(name = "listing")
public class Listing {

    @Id
    @Column(name = "listing_id")
    public UUID id;

    public String namespace;

    public String name;

    /** Keycloak subjects allowed to manage the listing's files. */
    @Column(columnDefinition = "text[]")
    public String[] owners;

    @Enumerated(EnumType.STRING)
    public Visibility visibility;

    /** {@code free}, {@code paid} or {@code trial} (catalog's price type): paid and trial need an entitlement. */
    @Column(name = "price_type")
    public String priceType = "free";

    /** Whether callers must accept the listing's terms before downloading its weights. */
    public boolean gated;

    /** sha256 of the current gate terms (catalog's {@code termsVersion}); {@code null} when not gated. */
    @Column(name = "terms_version")
    public String termsVersion;

    /** The catalog aggregate version last applied; older or equal events are ignored. */
    @Column(name = "aggregate_version")
    public long aggregateVersion;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean isOwnedBy(String subject) {
        return owners != null && Arrays.asList(owners).contains(subject);
    }

    /** Whether downloading weights needs an entitlement. */
    public boolean isPaid() {
        return !"free".equals(priceType); // unknown price types fail closed
    }

    /** The HF-style id {@code namespace/name}. */
    public String coordinates() {
        return namespace + "/" + name;
    }
}
