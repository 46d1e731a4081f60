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

/** One immutable commit of a listing's files: its id, parent, message and totals (the manifest is {@link CommitFile}). */
@Entity
@Table(name = "listing_commit")
@IdClass(Commit.Key.class)
public class Commit {

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    /** 40 lower-case hex characters, computed by {@link CommitId}. */
    @Id
    @Column(name = "commit_id")
    public String id;

    /** {@code null} for the first commit. */
    @Column(name = "parent_id")
    public String parentId;

    /** 1, 2, 3, ... in the listing's history. */
    public long seq;

    public String message;

    /** Subject of the caller who made the commit. */
    public String author;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "file_count")
    public int fileCount;

    @Column(name = "total_size")
    public long totalSize;

    /** Files of the manifest scanned as unsafe; above zero the commit is marked unsafe. */
    @Column(name = "unsafe_files")
    public int unsafeFiles;

    /** Composite key (listing, commit id): equal content in two listings gives equal ids. */
    public static class Key implements Serializable {
        public UUID listingId;
        public String id;

        public Key() {}

        public Key(UUID listingId, String id) {
            this.listingId = listingId;
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(listingId, k.listingId) && Objects.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(listingId, id);
        }
    }
}
