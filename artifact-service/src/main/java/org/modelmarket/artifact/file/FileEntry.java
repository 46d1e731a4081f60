package org.modelmarket.artifact.file;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One file of a listing revision: its path and the blob (by sha256) holding its bytes. */
@Entity
@Table(name = "file_entry")
public class FileEntry {

    /** The only revision until versioned manifests arrive. */
    public static final String MAIN = "main";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "listing_id")
    public UUID listingId;

    public String revision;

    public String path;

    public long size;

    public String sha256;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
