package org.modelmarket.catalog.listing.repository;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.listing.NamespaceOwner;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Namespace claims, keyed by namespace. */
@ApplicationScoped
public class NamespaceOwnerRepository implements PanacheRepositoryBase<NamespaceOwner, String> {
}
