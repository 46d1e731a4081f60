package org.modelmarket.search.projection;

import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.search.index.IndexOperation;
import org.modelmarket.search.index.ListingIndex;
import org.modelmarket.search.index.WriteOutcome;

import io.smallrye.mutiny.Uni;

/** Applies a {@link ListingChange} to the index: the projection's rules, apart from Kafka. */
@ApplicationScoped
public class ListingProjector {

    private final ListingIndex index;

    public ListingProjector(ListingIndex index) {
        this.index = index;
    }

    /** The versioned bulk operation that {@code change} asks for, if any (what a rebuild writes). */
    public static Optional<IndexOperation> operation(ListingChange change) {
        return switch (change) {
            case ListingChange.Upsert upsert -> Optional.of(IndexOperation.upsert(upsert.document()));
            case ListingChange.Hide hide -> Optional.of(IndexOperation.remove(hide.listingId(), hide.version()));
            case ListingChange.Delete delete ->
                Optional.of(IndexOperation.remove(delete.listingId(), ListingIndex.TOMBSTONE_VERSION));
            case ListingChange.Ignore ignore -> Optional.empty();
        };
    }

    /** @return what the index did, or {@code null} for a change that needs no write */
    public Uni<WriteOutcome> apply(ListingChange change) {
        return switch (change) {
            case ListingChange.Upsert upsert -> index.upsert(upsert.document());
            case ListingChange.Hide hide -> index.remove(hide.listingId(), OptionalLong.of(hide.version()));
            // compaction keeps a tombstone last for its key: it is the final word
            // versioned too (with the highest version), so that a replay of older states during a rebuild cannot
            // bring a deleted listing back; listing ids are never reused
            case ListingChange.Delete delete ->
                index.remove(delete.listingId(), OptionalLong.of(ListingIndex.TOMBSTONE_VERSION));
            case ListingChange.Ignore ignore -> Uni.createFrom().nullItem();
        };
    }
}
