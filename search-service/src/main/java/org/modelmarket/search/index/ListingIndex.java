package org.modelmarket.search.index;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.smallrye.mutiny.Uni;

/**
 * The port to the listing search index: the projection writes through it, the query side reads through it.
 * Failures the caller may retry surface as {@link IndexUnavailableException}.
 */
public interface ListingIndex {

    /**
     * External version of a tombstone's removal: above any real aggregate version, so that no older state replayed
     * later (a rebuild's tail) can bring a deleted listing back while Elasticsearch remembers the deletion.
     */
    long TOMBSTONE_VERSION = 1_000_000_000_000_000_000L;

    /** Creates the concrete index and its aliases if they are missing; idempotent. */
    Uni<Void> ensureIndex();

    /**
     * Stores {@code document} unless the index already holds the same or a newer version of it
     * (external versioning: duplicates and out-of-order deliveries are harmless).
     */
    Uni<WriteOutcome> upsert(ListingDocument document);

    /** Removes a listing as of {@code version}: only applies over older versions. */
    Uni<WriteOutcome> remove(String listingId, OptionalLong version);

    /** Runs a query against the read alias. */
    Uni<ListingPage> search(ListingQuery query);

    /** Listings whose name or title has words starting with the words of {@code prefix}, most popular first. */
    Uni<List<ListingDocument>> suggest(String prefix, int size);

    /** The searchable listing {@code namespace/name}, if any. */
    Uni<Optional<ListingDocument>> findById(String id);

    /** The listings most like {@code listing} (text, task, modality, base model), never the listing itself. */
    Uni<List<ListingDocument>> similar(ListingDocument listing, int size);
}
