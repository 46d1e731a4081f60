package org.modelmarket.artifact.access;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A caller's acceptance of one version of a gated listing's terms, from catalog's {@code TermsAccepted}. */
@Entity
@Table(name = "terms_acceptance")
@IdClass(TermsAcceptance.Key.class)
public class TermsAcceptance {

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    @Id
    public String subject;

    @Id
    @Column(name = "terms_version")
    public String termsVersion;

    @Column(name = "accepted_at")
    public Instant acceptedAt;

    /** Composite key (listing, subject, terms version). */
    public static class Key implements Serializable {
        public UUID listingId;
        public String subject;
        public String termsVersion;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && Objects.equals(listingId, k.listingId)
                    && Objects.equals(subject, k.subject)
                    && Objects.equals(termsVersion, k.termsVersion);
        }

        @Override
        public int hashCode() {
            return Objects.hash(listingId, subject, termsVersion);
        }
    }
}
