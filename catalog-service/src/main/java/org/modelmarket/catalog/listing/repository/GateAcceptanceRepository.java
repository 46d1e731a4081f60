package org.modelmarket.catalog.listing.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.listing.GateAcceptance;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Gated-access acceptances. */
@ApplicationScoped
public class GateAcceptanceRepository implements PanacheRepositoryBase<GateAcceptance, GateAcceptance.Key> {

    public Uni<GateAcceptance> find(UUID listingId, String subject) {
        return find("listingId = ?1 and subject = ?2", listingId, subject).firstResult();
    }

    public Uni<PageResult<GateAcceptance>> page(UUID listingId, int page, int size) {
        PanacheQuery<GateAcceptance> query =
                find("listingId", Sort.descending("acceptedAt").and("subject"), listingId);
        return query.count()
                .chain(total -> query.page(Page.of(page, size))
                        .list()
                        .map(items -> new PageResult<>(total, page, size, items)));
    }
}
