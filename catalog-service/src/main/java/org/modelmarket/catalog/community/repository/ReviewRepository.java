package org.modelmarket.catalog.community.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.community.Review;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Reviews, likes, and the eligibility facts learned from other services' events. */
@ApplicationScoped
public class ReviewRepository implements PanacheRepositoryBase<Review, UUID> {

    public Uni<Review> findForUpdate(UUID listingId, String subject) {
        return find("listingId = ?1 and subject = ?2", listingId, subject)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    public Uni<PageResult<Review>> page(UUID listingId, int page, int size) {
        PanacheQuery<Review> query =
                find("listingId", Sort.descending("updatedAt").and("id"), listingId);
        return query.count()
                .chain(total -> query.page(Page.of(page, size))
                        .list()
                        .map(items -> new PageResult<>(total, page, size, items)));
    }

    /** Whether the subject downloaded the listing or holds an active entitlement to it. */
    public Uni<Boolean> eligible(UUID listingId, String subject) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                select (exists(select 1 from buyer_download where listing_id = :id and subject = :subject)
                     or exists(select 1 from entitlement where listing_id = :id and subject = :subject
                               and status = 'active'))""", Boolean.class)
                        .setParameter("id", listingId)
                        .setParameter("subject", subject)
                        .getSingleResult());
    }

    /** Records a like; true if it is new. */
    public Uni<Boolean> like(UUID listingId, String subject) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                insert into listing_like (listing_id, subject, created_at) values (:id, :subject, now())
                on conflict do nothing""")
                        .setParameter("id", listingId)
                        .setParameter("subject", subject)
                        .executeUpdate())
                .map(count -> count > 0);
    }

    /** Removes a like; true if there was one. */
    public Uni<Boolean> unlike(UUID listingId, String subject) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "delete from listing_like where listing_id = :id and subject = :subject")
                        .setParameter("id", listingId)
                        .setParameter("subject", subject)
                        .executeUpdate())
                .map(count -> count > 0);
    }

    public Uni<Boolean> likes(UUID listingId, String subject) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select exists(select 1 from listing_like where listing_id = :id and subject = :subject)",
                                Boolean.class)
                        .setParameter("id", listingId)
                        .setParameter("subject", subject)
                        .getSingleResult());
    }
}
