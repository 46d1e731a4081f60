package org.modelmarket.artifact.commit;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.modelmarket.artifact.scan.ScanResult;

/** One file of a commit's manifest: path, size, blob digest, the commit that last changed it and its scan result. */
@Entity
@Table(name = "commit_file")
@IdClass(CommitFile.Key.class)
public class CommitFile {

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    @Id
    @Column(name = "commit_id")
    public String commitId;

    @Id
    public String path;

    public long size;

    public String sha256;

    @Column(name = "last_commit")
    public String lastCommit;

    @Enumerated(EnumType.STRING)
    @Column(name = "scan_verdict")
    public ScanResult.Verdict scanVerdict;

    @Column(name = "scan_findings", columnDefinition = "text[]")
    public String[] scanFindings;

    /** Composite key (listing, commit, path). */
    public static class Key implements Serializable {
        public UUID listingId;
        public String commitId;
        public String path;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && Objects.equals(listingId, k.listingId)
                    && Objects.equals(commitId, k.commitId)
                    && Objects.equals(path, k.path);
        }

        @Override
        public int hashCode() {
            return Objects.hash(listingId, commitId, path);
        }
    }
}
