package org.modelmarket.catalog.listing.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.Visibility;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Queries on listings. */
@ApplicationScoped
public class ListingRepository implements PanacheRepositoryBase<Listing, UUID> {

    /** Filters of a listing query; {@code null} = any. */
    public record Filter(
            String namespace,
            ListingStatus status,
            Visibility visibility,
            String modality,
            String task,
            String text,
            boolean publicOnly) {}

    /** A listing's public id, all a page needs when its views come from the listing view cache. */
    public record Coordinates(String namespace, String name) {}

    /** The listing {@code namespace/name}, or {@code null}. */
    @WithSession
    public Uni<Listing> findByCoordinates(String namespace, String name) {
        return find("namespace = ?1 and name = ?2", namespace, name).firstResult();
    }

    /** The listing, row-locked until the transaction ends (edits serialize on it), or {@code null}. */
    public Uni<Listing> findByCoordinatesForUpdate(String namespace, String name) {
        return find("namespace = ?1 and name = ?2", namespace, name)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    public Uni<Boolean> existsByCoordinates(String namespace, String name) {
        return count("namespace = ?1 and name = ?2", namespace, name).map(count -> count > 0);
    }

    public Uni<List<Listing>> listByNamespace(String namespace) {
        return list("namespace", namespace);
    }

    /** One page of listings matching {@code filter}, newest first, with the total. */
    public Uni<PageResult<Listing>> search(Filter filter, int page, int size) {
        PanacheQuery<Listing> query = query(filter);
        return query.count()
                .chain(total -> query.page(Page.of(page, size))
                        .list()
                        .map(items -> new PageResult<>(total, page, size, items)));
    }

    /**
     * The same page as {@link #search}, as coordinates only: two statements (the count and the page's two columns), no
     * entities to hydrate.
     */
    public Uni<PageResult<Coordinates>> searchCoordinates(Filter filter, int page, int size) {
        PanacheQuery<Listing> query = query(filter);
        return query.count()
                .chain(total -> total <= (long) page * size
                        // past the last page: nothing to select
                        ? Uni.createFrom().item(new PageResult<Coordinates>(total, page, size, List.of()))
                        : query.page(Page.of(page, size))
                                .project(Coordinates.class)
                                .list()
                                .map(items -> new PageResult<>(total, page, size, items)));
    }

    private PanacheQuery<Listing> query(Filter filter) {
        List<String> clauses = new ArrayList<>();
        Parameters params = new Parameters();
        if (filter.namespace() != null) {
            clauses.add("namespace = :namespace");
            params.and("namespace", filter.namespace());
        }
        if (filter.status() != null) {
            clauses.add("status = :status");
            params.and("status", filter.status());
        }
        if (filter.visibility() != null) {
            clauses.add("visibility = :visibility");
            params.and("visibility", filter.visibility());
        }
        if (filter.modality() != null) {
            clauses.add("modality = :modality");
            params.and("modality", filter.modality());
        }
        if (filter.task() != null) {
            clauses.add("task = :task");
            params.and("task", filter.task());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            clauses.add("(lower(title) like :text or lower(name) like :text)");
            params.and(
                    "text", "%" + filter.text().toLowerCase().replace("%", "").replace("_", "") + "%");
        }
        if (filter.publicOnly()) {
            clauses.add("visibility = :publicVisibility and status in :publicStatuses");
            params.and("publicVisibility", Visibility.PUBLIC);
            params.and("publicStatuses", List.of(ListingStatus.PUBLISHED, ListingStatus.DEPRECATED));
        }
        String where = clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses);
        return find(where, Sort.descending("createdAt").and("id"), params);
    }
}
