package org.modelmarket.search.index;

import java.util.Arrays;
import java.util.Optional;

/** The orders a listing search can return; every order ends on {@code listingId} so that it is total (cursor paging). */
public enum ListingSort {

    /** Best text match first (then most downloaded); without text the same as {@link #UPDATED}. */
    RELEVANCE("relevance", null),
    DOWNLOADS("downloads", "stats.downloads"),
    LIKES("likes", "stats.likes"),
    /** Most downloads in the last 7 days. */
    TRENDING("trending", "stats.downloads7d"),
    /** Most recently published (created, for listings never published). */
    NEWEST("newest", "releasedAt"),
    UPDATED("updated", "updatedAt"),
    /** Best average rating, then most ratings. */
    RATING("rating", "stats.rating");

    private final String param;
    private final String field;

    ListingSort(String param, String field) {
        this.param = param;
        this.field = field;
    }

    public String param() {
        return param;
    }

    /** The numeric or date field sorted descending, or null for relevance. */
    public String field() {
        return field;
    }

    public static Optional<ListingSort> fromParam(String value) {
        return Arrays.stream(values()).filter(s -> s.param.equals(value)).findFirst();
    }
}
