package org.modelmarket.catalog.listing;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Lifecycle of a listing. The walking skeleton publishes listings on creation; the review workflow
 * (draft, in review, published, deprecated) arrives with the full catalog.
 */
public enum ListingStatus {
    @JsonProperty("draft")
    DRAFT,
    @JsonProperty("in-review")
    IN_REVIEW,
    @JsonProperty("published")
    PUBLISHED,
    @JsonProperty("deprecated")
    DEPRECATED
}
