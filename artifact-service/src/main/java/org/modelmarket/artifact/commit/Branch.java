package org.modelmarket.artifact.commit;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A movable name for a commit; today only {@value #MAIN}, which points at the newest commit. */
@Entity
@Table(name = "branch")
@IdClass(Branch.Key.class)
public class Branch {

    /** The default branch. */
    public static final String MAIN = "main";

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    @Id
    public String name;

    @Column(name = "commit_id")
    public String commitId;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Composite key (listing, name). */
    public static class Key implements Serializable {
        public UUID listingId;
        public String name;

        public Key() {}

        public Key(UUID listingId, String name) {
            this.listingId = listingId;
            this.name = name;
        }

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
