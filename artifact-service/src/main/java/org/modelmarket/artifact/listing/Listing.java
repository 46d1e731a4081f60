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

/**
 * A listing as artifact-service knows it: a projection of {@code catalog.listings}, plus the one rule it owns itself
 * (which files stay open before buying, {@link #openFiles}).
 */
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

    /**
     * The listing's own open-file globs, set through artifact-service's {@code file-access} resource by an owner or
     * an admin; {@code null}: the service's default. Read-only here: the projection's updates from catalog events
     * must never overwrite a rule set meanwhile, so only {@code FileAccessService}'s own statement writes it.
     */
    @Column(name = "open_files", columnDefinition = "text[]", insertable = false, updatable = false)
    public String[] openFiles;

    /** When the listing's own rule was last set or cleared; {@code null} if never. */
    @Column(name = "open_files_updated_at", insertable = false, updatable = false)
    public Instant openFilesUpdatedAt;

    /** Who last set or cleared the listing's own rule (a subject). */
    @Column(name = "open_files_updated_by", insertable = false, updatable = false)
    public String openFilesUpdatedBy;

    /** The revision of the listing's own rule (0: never set), incremented by each change: its ETag. */
    @Column(name = "open_files_version", insertable = false, updatable = false)
    public long openFilesVersion;

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
