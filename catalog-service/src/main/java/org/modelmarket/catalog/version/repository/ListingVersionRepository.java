package org.modelmarket.catalog.version.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.version.ListingVersion;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Version records. */
@ApplicationScoped
public class ListingVersionRepository implements PanacheRepositoryBase<ListingVersion, UUID> {

    public Uni<ListingVersion> find(UUID listingId, String version) {
        return find("listingId = ?1 and version = ?2", listingId, version).firstResult();
    }

    public Uni<ListingVersion> findForUpdate(UUID listingId, String version) {
        return find("listingId = ?1 and version = ?2", listingId, version)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** The newest published version, or {@code null}. */
    public Uni<ListingVersion> latest(UUID listingId) {
        return find(
                        "listingId = ?1 and status = ?2",
                        Sort.descending("publishedAt").and("createdAt", Sort.Direction.Descending),
                        listingId,
                        ListingVersion.Status.PUBLISHED)
                .firstResult();
    }

    /** Newest first; drafts only if {@code withDrafts}. */
    public Uni<PageResult<ListingVersion>> page(UUID listingId, boolean withDrafts, int page, int size) {
        Parameters params = Parameters.with("listingId", listingId);
        String where = "listingId = :listingId";
        if (!withDrafts) {
            where += " and status = :status";
            params.and("status", ListingVersion.Status.PUBLISHED);
        }
        PanacheQuery<ListingVersion> query =
                find(where, Sort.descending("createdAt").and("id"), params);
        return query.count()
                .chain(total -> query.page(Page.of(page, size))
                        .list()
                        .map(items -> new PageResult<>(total, page, size, items)));
    }
}
