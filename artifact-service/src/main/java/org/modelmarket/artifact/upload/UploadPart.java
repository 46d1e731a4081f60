package org.modelmarket.artifact.upload;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One received part of a multipart upload (its bytes are staged on local disk). */
@Entity
@Table(name = "upload_part")
@IdClass(UploadPart.Key.class)
public class UploadPart {

    @Id
    @Column(name = "upload_id")
    public UUID uploadId;

    @Id
    @Column(name = "part_number")
    public int number;

    public long size;

    public String sha256;

    @Column(name = "received_at")
    public Instant receivedAt;

    /** Composite key (upload, part number). */
    public static class Key implements Serializable {
        public UUID uploadId;
        public int number;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(uploadId, k.uploadId) && number == k.number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(uploadId, number);
        }
    }
}
