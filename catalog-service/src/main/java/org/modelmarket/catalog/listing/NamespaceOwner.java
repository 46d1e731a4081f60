package org.modelmarket.catalog.listing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Claim on a namespace: its first creator owns it. Grows into vendor organisations (members, roles) later;
 * the table then maps a namespace to a vendor instead of a subject.
 */
@Entity
@Table(name = "namespace_owner")
public class NamespaceOwner {

    @Id
    public String namespace;

    /** The owning Keycloak subject. */
    @Column(nullable = false, updatable = false)
    public String owner;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** For JPA. */
    protected NamespaceOwner() {
    }

    public NamespaceOwner(String namespace, String owner, Instant createdAt) {
        this.namespace = namespace;
        this.owner = owner;
        this.createdAt = createdAt;
    }
}
