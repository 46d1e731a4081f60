package org.modelmarket.search.index;

import java.util.OptionalLong;

import io.smallrye.mutiny.Uni;

/**
 * The port to the listing search index: the projection writes through it, the query side reads through it.
 * Failures the caller may retry surface as {@link IndexUnavailableException}.
 */
public interface ListingIndex {

    /** Creates the concrete index and its aliases if they are missing; idempotent. */
    Uni<Void> ensureIndex();

    /**
     * Stores {@code document} unless the index already holds the same or a newer version of it
     * (external versioning: duplicates and out-of-order deliveries are harmless).
     */
    Uni<WriteOutcome> upsert(ListingDocument document);

    /**
     * Removes a listing. With a version, the removal only applies over older versions;
     * without one (a tombstone) it applies unconditionally.
     */
    Uni<WriteOutcome> remove(String listingId, OptionalLong version);

    /** Runs a query against the read alias. */
    Uni<ListingPage> search(ListingQuery query);
}
