package org.modelmarket.catalog.community.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.Clock;
import org.modelmarket.catalog.community.Review;
import org.modelmarket.catalog.community.ReviewView;
import org.modelmarket.catalog.community.repository.ReviewRepository;
import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.event.DomainEvent;
import org.modelmarket.catalog.listing.repository.ListingStatsRepository;
import org.modelmarket.catalog.listing.service.ListingEvents;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Likes (one per user, idempotent) and reviews (1-5, one per user and listing, editable; only by users who
 * downloaded the listing or hold an active entitlement, as learned from artifact and billing events; not by the
 * vendor's own members), vendor replies. Counters move by SQL increments in the same transaction and mark the stats
 * dirty: the coalescer publishes the new listing state within about a second. Domain events go out at once.
 */
@ApplicationScoped
public class CommunityService {

    /** Like state of a listing for the caller. */
    public record Likes(String listing, long likes, boolean liked) {}

    private final ListingService listings;
    private final ListingStatsRepository stats;
    private final ReviewRepository reviews;
    private final ListingEvents events;

    public CommunityService(
            ListingService listings, ListingStatsRepository stats, ReviewRepository reviews, ListingEvents events) {
        this.listings = listings;
        this.stats = stats;
        this.reviews = reviews;
        this.events = events;
    }

    public Uni<Likes> like(String namespace, String name, Caller caller) {
        return Panache.withTransaction(() -> listings.load(namespace, name, caller)
                .chain(loaded -> {
                    Listing listing = open(loaded.listing());
                    return reviews.like(listing.id, caller.subject())
                            .chain(added -> !added
                                    ? Uni.createFrom().voidItem()
                                    : stats.adjust(listing.id, "likes = likes + 1")
                                            .chain(() -> events.domainOnly(
                                                    listing,
                                                    revision -> List.of(new ListingEvents.Named(
                                                            DomainEvent.LISTING_LIKED,
                                                            DomainEvent.of(
                                                                            listing.id,
                                                                            listing.coordinates(),
                                                                            revision,
                                                                            caller.subject())
                                                                    .review(null, caller.subject(), null))))))
                            .chain(() -> likes(listing, caller));
                }));
    }

    public Uni<Likes> unlike(String namespace, String name, Caller caller) {
        return Panache.withTransaction(() -> listings.load(namespace, name, caller)
                .chain(loaded -> {
                    Listing listing = loaded.listing();
                    return reviews.unlike(listing.id, caller.subject())
                            .chain(removed -> !removed
                                    ? Uni.createFrom().voidItem()
                                    : stats.adjust(listing.id, "likes = likes - 1")
                                            .chain(() -> events.domainOnly(
                                                    listing,
                                                    revision -> List.of(new ListingEvents.Named(
                                                            DomainEvent.LISTING_UNLIKED,
                                                            DomainEvent.of(
                                                                            listing.id,
                                                                            listing.coordinates(),
                                                                            revision,
                                                                            caller.subject())
                                                                    .review(null, caller.subject(), null))))))
                            .chain(() -> likes(listing, caller));
                }));
    }

    public Uni<Likes> likes(String namespace, String name, Caller caller) {
        return Panache.withSession(
                () -> listings.load(namespace, name, caller).chain(loaded -> likes(loaded.listing(), caller)));
    }

    private Uni<Likes> likes(Listing listing, Caller caller) {
        Uni<Boolean> mine =
                caller.isAnonymous() ? Uni.createFrom().item(false) : reviews.likes(listing.id, caller.subject());
        return mine.chain(liked -> Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select likes from listing_stats where listing_id = :id", Long.class)
                        .setParameter("id", listing.id)
                        .getSingleResult())
                .map(count -> new Likes(listing.coordinates(), count, liked)));
    }

    /** Posts (201, created=true) or edits (created=false) the caller's review. */
    public Uni<Posted> review(String namespace, String name, int rating, String title, String body, Caller caller) {
        return Panache.withTransaction(() -> listings.load(namespace, name, caller)
                .chain(loaded -> {
                    Listing listing = open(loaded.listing());
                    if (loaded.vendor().hasMember(caller.subject())) {
                        throw new ProblemException(
                                CatalogProblem.REVIEW_NOT_ELIGIBLE, "Vendors do not review their own listings");
                    }
                    return reviews.eligible(listing.id, caller.subject())
                            .chain(eligible -> {
                                if (!eligible) {
                                    throw new ProblemException(
                                            CatalogProblem.REVIEW_NOT_ELIGIBLE,
                                            "Only users who downloaded " + listing.coordinates()
                                                    + " or hold an entitlement to it may review it");
                                }
                                return reviews.findForUpdate(listing.id, caller.subject());
                            })
                            .chain(existing -> {
                                Instant now = Clock.now();
                                boolean created = existing == null;
                                Review review = created ? new Review() : existing;
                                int previous = created ? 0 : review.rating;
                                if (created) {
                                    review.id = UUID.randomUUID();
                                    review.listingId = listing.id;
                                    review.subject = caller.subject();
                                    review.createdAt = now;
                                }
                                review.rating = (short) rating;
                                review.title = title;
                                review.body = body;
                                review.updatedAt = now;
                                String assignments = created
                                        ? "rating_sum = rating_sum + " + rating + ", rating_count = rating_count + 1"
                                        : "rating_sum = rating_sum + " + (rating - previous);
                                return (created
                                                ? reviews.persist(review)
                                                : Uni.createFrom().item(review))
                                        .call(reviews::flush)
                                        .call(() -> stats.adjust(listing.id, assignments))
                                        .call(() -> events.domainOnly(
                                                listing,
                                                revision -> List.of(new ListingEvents.Named(
                                                        created
                                                                ? DomainEvent.REVIEW_POSTED
                                                                : DomainEvent.REVIEW_UPDATED,
                                                        DomainEvent.of(
                                                                        listing.id,
                                                                        listing.coordinates(),
                                                                        revision,
                                                                        caller.subject())
                                                                .review(review.id, caller.subject(), rating)))))
                                        .map(saved -> new Posted(ReviewView.of(listing.coordinates(), saved), created));
                            });
                }));
    }

    /** A posted review and whether it is new. */
    public record Posted(ReviewView review, boolean created) {}

    public Uni<ReviewView> reply(String namespace, String name, UUID reviewId, String body, Caller caller) {
        return Panache.withTransaction(() -> listings.load(namespace, name, caller)
                .chain(loaded -> {
                    ListingService.requireMember(loaded.vendor(), caller);
                    Listing listing = loaded.listing();
                    return reviews.findById(reviewId).chain(review -> {
                        if (review == null || !review.listingId.equals(listing.id)) {
                            throw new ProblemException(
                                    CatalogProblem.REVIEW_NOT_FOUND, "Review " + reviewId + " not found");
                        }
                        review.replyBody = body;
                        review.replyBy = caller.subject();
                        review.repliedAt = Clock.now();
                        return reviews.flush()
                                .call(() -> events.domainOnly(
                                        listing,
                                        revision -> List.of(new ListingEvents.Named(
                                                DomainEvent.REVIEW_REPLIED,
                                                DomainEvent.of(
                                                                listing.id,
                                                                listing.coordinates(),
                                                                revision,
                                                                caller.subject())
                                                        .review(review.id, review.subject, (int) review.rating)))))
                                .map(ignored -> ReviewView.of(listing.coordinates(), review));
                    });
                }));
    }

    public Uni<ReviewView.Page> reviews(String namespace, String name, int page, int size, Caller caller) {
        return Panache.withSession(() -> listings.load(namespace, name, caller).chain(loaded -> {
            Listing listing = loaded.listing();
            return stats.findById(listing.id)
                    .chain(row -> reviews.page(listing.id, page, size)
                            .map(result -> new ReviewView.Page(
                                    result.total(),
                                    page,
                                    size,
                                    row.rating(),
                                    row.ratingCount,
                                    result.items().stream()
                                            .map(r -> ReviewView.of(listing.coordinates(), r))
                                            .toList())));
        }));
    }

    /** Likes and reviews only on published or deprecated listings. */
    private static Listing open(Listing listing) {
        if (listing.status != ListingStatus.PUBLISHED && listing.status != ListingStatus.DEPRECATED) {
            throw new ProblemException(
                    CatalogProblem.INVALID_TRANSITION,
                    "A " + listing.status.wire() + " listing takes no likes or reviews");
        }
        return listing;
    }
}
