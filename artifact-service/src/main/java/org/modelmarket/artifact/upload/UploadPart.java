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

    /** The part's SHA-256 (64 hex), when it was sent with {@code X-Checksum-Sha256}. */
    public String sha256;

    /** The part's CRC32C (8 hex, big-endian), when it was sent with {@code X-Checksum-Crc32c}. */
    public String crc32c;

    @Column(name = "received_at")
    public Instant receivedAt;

    /**
     * What identifies this copy of the part among resends: its SHA-256, or its CRC32C when it came with that only.
     * Only decides whether a resend may be assumed to hold the bytes already staged; the whole file's SHA-256,
     * verified at completion over the bytes actually staged, is what guards the result.
     */
    public String checksum() {
        return checksum(sha256, crc32c);
    }

    /** The identity of a part with these checksums (see {@link #checksum()}). */
    public static String checksum(String sha256, String crc32c) {
        return sha256 != null ? sha256 : "crc32c:" + crc32c;
    }

    /**
     * Whether two copies of a part with these {@link #checksum()}s certainly hold the same bytes: equal SHA-256s do;
     * equal CRC32Cs do not (a different part with the same CRC32C is easy to make), so such a resend always
     * replaces the staged copy, and the digest carried over it is dropped.
     */
    public static boolean sameBytes(String checksum, String other) {
        return checksum.equals(other) && !checksum.startsWith("crc32c:");
    }

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
