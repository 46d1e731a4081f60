package org.modelmarket.catalog.vendor.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.vendor.Vendor;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Vendors by namespace. */
@ApplicationScoped
public class VendorRepository implements PanacheRepositoryBase<Vendor, String> {

    /** The vendor, row-locked until the transaction ends (writers serialize on it), or {@code null}. */
    public Uni<Vendor> findForUpdate(String namespace) {
        return findById(namespace, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * One page of the vendors {@code subject} is a member of, by namespace. Native SQL: {@code members @>} is the
     * array operator the GIN index {@code ix_vendor_members} serves (V5), which HQL has no spelling of.
     */
    public Uni<PageResult<Vendor>> pageByMember(String subject, int page, int size) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select count(*) from vendor where members @> array[cast(:subject as text)]",
                                Long.class)
                        .setParameter("subject", subject)
                        .getSingleResult()
                        .chain(total -> session.createNativeQuery(
                                        "select * from vendor where members @> array[cast(:subject as text)]"
                                                + " order by namespace collate \"C\" limit :limit offset :offset",
                                        Vendor.class)
                                .setParameter("subject", subject)
                                .setParameter("limit", size)
                                .setParameter("offset", (long) page * size)
                                .getResultList()
                                .map(items -> new PageResult<>(total, page, size, items))));
    }
}
