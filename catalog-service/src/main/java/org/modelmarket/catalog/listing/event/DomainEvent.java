package org.modelmarket.catalog.listing.event;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of the catalog's domain events on {@code catalog.events} (type {@code org.modelmarket.catalog.<name>}),
 * keyed by listing id. Every event carries {@code listingId}, {@code id} (ns/name) and {@code aggregateVersion}
 * (the listing's state revision when it happened); the other fields are set by the events they concern.
 *
 * @param actor Keycloak subject who caused the event
 * @param from status before a lifecycle transition
 * @param to status after it
 * @param reason why (rejections, deprecations, ...)
 * @param successor replacement named by a deprecation
 * @param version version id, for VersionPublished
 * @param commit the 40-hex artifact commit a published version names (null for versions made without one)
 * @param termsVersion sha256 of the gate terms accepted, for TermsAccepted (with {@code subject} and
 *        {@code acceptedAt})
 * @param reviewId, subject, rating for ReviewPosted/ReviewUpdated/ReviewReplied; subject also for ListingLiked/Unliked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DomainEvent(
        UUID listingId,
        String id,
        long aggregateVersion,
        String actor,
        String from,
        String to,
        String reason,
        String successor,
        String version,
        String releaseNotes,
        UUID reviewId,
        String subject,
        Integer rating,
        String commit,
        String termsVersion,
        Instant acceptedAt) {

    public static final String TOPIC = "catalog.events";
    public static final String TYPE_PREFIX = "org.modelmarket.catalog.";

    public static final String LISTING_CREATED = "ListingCreated";
    public static final String LISTING_SUBMITTED = "ListingSubmitted";
    public static final String LISTING_WITHDRAWN = "ListingWithdrawn";
    public static final String LISTING_PUBLISHED = "ListingPublished";
    public static final String LISTING_REJECTED = "ListingRejected";
    public static final String LISTING_UPDATED = "ListingUpdated";
    public static final String LISTING_DEPRECATED = "ListingDeprecated";
    public static final String LISTING_ARCHIVED = "ListingArchived";
    public static final String VERSION_PUBLISHED = "VersionPublished";
    public static final String TERMS_ACCEPTED = "TermsAccepted";
    public static final String REVIEW_POSTED = "ReviewPosted";
    public static final String REVIEW_UPDATED = "ReviewUpdated";
    public static final String REVIEW_REPLIED = "ReviewReplied";
    public static final String LISTING_LIKED = "ListingLiked";
    public static final String LISTING_UNLIKED = "ListingUnliked";

    public static DomainEvent of(UUID listingId, String id, long aggregateVersion, String actor) {
        return new DomainEvent(
                listingId, id, aggregateVersion, actor, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    public DomainEvent transition(String fromStatus, String toStatus, String why, String replacement) {
        return new DomainEvent(
                listingId,
                id,
                aggregateVersion,
                actor,
                fromStatus,
                toStatus,
                why,
                replacement,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public DomainEvent version(String versionId, String notes, String commitId) {
        return new DomainEvent(
                listingId, id, aggregateVersion, actor, null, null, null, null, versionId, notes, null, null, null,
                commitId, null, null);
    }

    public DomainEvent termsAccepted(String accepter, String terms, Instant at) {
        return new DomainEvent(
                listingId, id, aggregateVersion, actor, null, null, null, null, null, null, null, accepter, null, null,
                terms, at);
    }

    public DomainEvent review(UUID review, String reviewer, Integer stars) {
        return new DomainEvent(
                listingId, id, aggregateVersion, actor, null, null, null, null, null, null, review, reviewer, stars,
                null, null, null);
    }
}
