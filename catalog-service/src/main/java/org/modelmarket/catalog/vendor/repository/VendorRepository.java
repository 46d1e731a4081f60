package org.modelmarket.catalog.vendor.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.catalog.vendor.Vendor;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Vendors by namespace. */
@ApplicationScoped
public class VendorRepository implements PanacheRepositoryBase<Vendor, String> {

    /** The vendor, row-locked until the transaction ends (writers serialize on it), or {@code null}. */
    public Uni<Vendor> findForUpdate(String namespace) {
        return findById(namespace, LockModeType.PESSIMISTIC_WRITE);
    }
}
