package org.modelmarket.catalog.vendor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A vendor: a namespace with a public profile and the Keycloak subjects (members) who may act for it. The
 * {@code verified} flag is set by admins only; a verified vendor's listings skip review.
 */
@Entity
@Table(name = "vendor")
public class Vendor {

    @Id
    public String namespace;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    public String description;

    public String website;

    @Column(nullable = false)
    public boolean verified;

    @Column(name = "verified_by")
    public String verifiedBy;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    /** Keycloak subjects who may act for the vendor; never empty. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public List<String> members = new ArrayList<>();

    /** Optimistic lock, the vendor's ETag. */
    @Version
    @Column(nullable = false)
    public long version = 1;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean hasMember(String subject) {
        return subject != null && members.contains(subject);
    }
}
