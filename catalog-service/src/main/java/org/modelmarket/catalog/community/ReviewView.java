package org.modelmarket.catalog.community;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A review as the API shows it. */
@Schema(name = "Review")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewView(
        UUID reviewId,
        String listing,
        String subject,
        int rating,
        String title,
        String body,
        Reply reply,
        Instant createdAt,
        Instant updatedAt) {

    /** The vendor's reply. */
    @Schema(name = "ReviewReply")
    public record Reply(String body, String subject, Instant at) {}

    /** One page of reviews with the listing's aggregated rating. */
    @Schema(name = "ReviewPage")
    public record Page(long total, int page, int size, double rating, long ratingCount, List<ReviewView> items) {}

    public static ReviewView of(String listing, Review review) {
        return new ReviewView(
                review.id,
                listing,
                review.subject,
                review.rating,
                review.title,
                review.body,
                review.replyBody == null ? null : new Reply(review.replyBody, review.replyBy, review.repliedAt),
                review.createdAt,
                review.updatedAt);
    }
}
