package org.modelmarket.artifact.quota;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The per-vendor storage quota: the distinct blobs referenced by any commit of the vendor namespace's listings,
 * plus the bytes about to be added, must stay within {@code modelmarket.artifact.quota.per-vendor}. Identical content
 * counts once, so re-uploading or re-committing a file costs nothing.
 */
@ApplicationScoped
public class QuotaService {

    private static final String USED = """
            select coalesce(sum(size), 0) from (
                select distinct f.sha256, f.size
                from commit_file f join listing l on l.listing_id = f.listing_id
                where l.namespace = ?1) blobs
            """;

    private final ArtifactConfig config;
    private final Mutiny.SessionFactory sessions;

    public QuotaService(ArtifactConfig config, Mutiny.SessionFactory sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    /** Bytes the namespace's commits hold. */
    @WithSession
    public Uni<Long> used(String namespace) {
        return sessions.withSession(session -> session.createNativeQuery(USED, Long.class)
                .setParameter(1, namespace)
                .getSingleResult());
    }

    /** Fails with 413 {@code storage-quota-exceeded} when adding {@code bytes} would exceed the vendor's quota. */
    public Uni<Void> check(Listing listing, long bytes) {
        long limit = config.quota().perVendor().asLongValue();
        return used(listing.namespace)
                .invoke(used -> {
                    if (used + bytes > limit) {
                        throw new ProblemException(
                                ArtifactProblem.QUOTA_EXCEEDED,
                                "Vendor " + listing.namespace + " stores " + used + " of " + limit + " bytes; " + bytes
                                        + " more do not fit. Delete files or ask an operator for a larger quota.");
                    }
                })
                .replaceWithVoid();
    }
}
