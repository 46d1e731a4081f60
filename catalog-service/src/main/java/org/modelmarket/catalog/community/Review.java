package org.modelmarket.catalog.community;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A user's review of a listing (one per user and listing, editable), with the vendor's optional reply. */
@Entity
@Table(name = "review")
public class Review {

    @Id
    public UUID id;

    @Column(name = "listing_id", nullable = false, updatable = false)
    public UUID listingId;

    @Column(nullable = false, updatable = false)
    public String subject;

    @Column(nullable = false)
    public short rating;

    public String title;

    public String body;

    @Column(name = "reply_body")
    public String replyBody;

    @Column(name = "reply_by")
    public String replyBy;

    @Column(name = "replied_at")
    public Instant repliedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version = 1;
}
