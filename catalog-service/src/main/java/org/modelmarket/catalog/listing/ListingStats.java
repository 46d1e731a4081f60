package org.modelmarket.catalog.listing;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

/**
 * A listing's stats projection and its state revision, apart from the listing row so that counters never bump the
 * edit version (ETag). Counters are changed with single SQL increments by the projection and the community
 * services; {@code revision} (the events' aggregateversion) is bumped under a row lock each time a ListingChanged
 * event is written. {@code @DynamicUpdate}: an entity flush writes only the columns it changed.
 */
@Entity
@Table(name = "listing_stats")
@DynamicUpdate
public class ListingStats {

    @Id
    @Column(name = "listing_id")
    public UUID listingId;

    @Column(nullable = false)
    public long revision;

    @Column(nullable = false)
    public long downloads;

    @Column(name = "downloads_30d", nullable = false)
    public long downloads30d;

    @Column(name = "downloads_7d", nullable = false)
    public long downloads7d;

    @Column(nullable = false)
    public long likes;

    @Column(name = "rating_sum", nullable = false)
    public long ratingSum;

    @Column(name = "rating_count", nullable = false)
    public long ratingCount;

    @Column(nullable = false)
    public long subscribers;

    /** Stats changed since the last ListingChanged event (the coalescer emits one). */
    @Column(nullable = false)
    public boolean dirty;

    /** Mean rating rounded to two decimals, 0 without ratings. */
    public double rating() {
        return ratingCount == 0 ? 0.0 : Math.round(ratingSum * 100.0 / ratingCount) / 100.0;
    }
}
