package org.modelmarket.catalog.listing;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Lifecycle of a listing, with review as AWS Marketplace requires: draft -> submitted -> published, or rejected
 * (back to draft work and resubmission) -> deprecated (with a successor) -> archived. {@link Action} fixes which
 * transitions exist; anything else is a 409.
 */
public enum ListingStatus {
    @JsonProperty("draft")
    DRAFT,
    @JsonProperty("submitted")
    SUBMITTED,
    @JsonProperty("published")
    PUBLISHED,
    @JsonProperty("rejected")
    REJECTED,
    @JsonProperty("deprecated")
    DEPRECATED,
    @JsonProperty("archived")
    ARCHIVED;

    /** Lowercase wire name. */
    public String wire() {
        return name().toLowerCase();
    }

    /** Whether the public (subject to visibility) may see a listing in this status. */
    public boolean isPublic() {
        return this == PUBLISHED || this == DEPRECATED || this == ARCHIVED;
    }

    /** Whether the listing's content may be edited in this status (not while in review, not once archived). */
    public boolean isEditable() {
        return this == DRAFT || this == REJECTED || this == PUBLISHED || this == DEPRECATED;
    }

    /** A lifecycle action: from which statuses it may start and where it leads. */
    public enum Action {
        /** Owner asks for review (verified vendors: published at once). */
        SUBMIT(Set.of(DRAFT, REJECTED), SUBMITTED),
        /** Owner takes a submission back. */
        WITHDRAW(Set.of(SUBMITTED), DRAFT),
        /** Admin accepts a submission. */
        APPROVE(Set.of(SUBMITTED), PUBLISHED),
        /** Admin refuses a submission, with a reason. */
        REJECT(Set.of(SUBMITTED), REJECTED),
        /** Owner retires a published listing, optionally naming its successor. */
        DEPRECATE(Set.of(PUBLISHED), DEPRECATED),
        /** Owner or admin archives a deprecated listing, or drops a draft or rejected one. */
        ARCHIVE(Set.of(DEPRECATED, DRAFT, REJECTED), ARCHIVED);

        private final Set<ListingStatus> from;
        private final ListingStatus to;

        Action(Set<ListingStatus> from, ListingStatus to) {
            this.from = from;
            this.to = to;
        }

        public boolean allowedFrom(ListingStatus status) {
            return from.contains(status);
        }

        public ListingStatus target() {
            return to;
        }

        public String wire() {
            return name().toLowerCase();
        }
    }
}
