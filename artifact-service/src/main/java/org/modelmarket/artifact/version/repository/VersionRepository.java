package org.modelmarket.artifact.version.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.version.Version;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Queries over the version projection. */
@ApplicationScoped
public class VersionRepository implements PanacheRepositoryBase<Version, Version.Key> {

    /** The commit id a version of the listing names, or {@code null}. */
    public Uni<String> commitOf(UUID listingId, String name) {
        return find("listingId = ?1 and name = ?2", listingId, name)
                .firstResult()
                .map(v -> v == null ? null : v.commitId);
    }
}
