package org.modelmarket.artifact.version;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * A catalog version ({@code 1.2.0}) of a listing and the commit it names, projected from catalog's version events.
 * Immutable: a version names the commit the vendor chose when publishing it, never whatever {@code main} is later.
 */
@Entity
@Table(name = "listing_version")
@IdClass(Version.Key.class)
public class Version {

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    @Id
    public String name;

    @Column(name = "commit_id")
    public String commitId;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** Composite key (listing, version name). */
    public static class Key implements Serializable {
        public UUID listingId;
        public String name;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(listingId, k.listingId) && Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(listingId, name);
        }
    }
}
