package org.modelmarket.artifact.access.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.access.TermsAcceptance;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Queries over accepted terms. */
@ApplicationScoped
public class TermsAcceptanceRepository implements PanacheRepositoryBase<TermsAcceptance, TermsAcceptance.Key> {

    /** Whether the subject accepted this version of the listing's terms. */
    public Uni<Boolean> accepted(UUID listingId, String subject, String termsVersion) {
        return count("listingId = ?1 and subject = ?2 and termsVersion = ?3", listingId, subject, termsVersion)
                .map(n -> n > 0);
    }
}
