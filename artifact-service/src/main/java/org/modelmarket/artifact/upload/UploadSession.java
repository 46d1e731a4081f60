package org.modelmarket.artifact.upload;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A resumable multipart upload of one file: what the client declared, and how far it got. */
@Entity
@Table(name = "upload_session")
public class UploadSession {

    /** Where an upload is in its life. */
    public enum Status {
        /** Parts may arrive. */
        OPEN,
        /** One complete request is assembling and verifying the file. */
        COMPLETING,
        /** The verified blob is stored (and committed unless the client asked not to). */
        COMPLETED,
        /** Abandoned by the client; parts deleted. */
        ABORTED
    }

    @Id
    @Column(name = "upload_id")
    public UUID id;

    @Column(name = "listing_id")
    public UUID listingId;

    public String path;

    public long size;

    public String sha256;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The commit that made the file visible, once completed. */
    @Column(name = "commit_id")
    public String commitId;
}
