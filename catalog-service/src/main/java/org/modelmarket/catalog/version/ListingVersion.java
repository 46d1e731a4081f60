package org.modelmarket.catalog.version;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A version record of a listing (its files belong to artifact-service): a semantic version or revision id with
 * release notes. Drafts may be edited; once published a version is immutable.
 */
@Entity
@Table(name = "listing_version")
public class ListingVersion {

    /** Draft (editable) or published (immutable). */
    public enum Status {
        @JsonProperty("draft")
        DRAFT,
        @JsonProperty("published")
        PUBLISHED
    }

    @Id
    public UUID id;

    @Column(name = "listing_id", nullable = false, updatable = false)
    public UUID listingId;

    @Column(nullable = false, updatable = false)
    public String version;

    @Column(name = "release_notes")
    public String releaseNotes;

    /** The artifact-service commit (40 hex) the version names; null for versions made before commits existed. */
    @Column(name = "commit_id")
    public String commit;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
