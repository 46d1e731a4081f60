package org.modelmarket.search.projection;

import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import org.modelmarket.search.index.ListingIndex;
import org.modelmarket.search.index.WriteOutcome;

/** Applies a {@link ListingChange} to the index: the projection's rules, apart from Kafka. */
@ApplicationScoped
public class ListingProjector {

    private final ListingIndex index;

    public ListingProjector(ListingIndex index) {
        this.index = index;
    }

    /** @return what the index did, or {@code null} for a change that needs no write */
    public Uni<WriteOutcome> apply(ListingChange change) {
        return switch (change) {
            case ListingChange.Upsert upsert -> index.upsert(upsert.document());
            case ListingChange.Hide hide -> index.remove(hide.listingId(), OptionalLong.of(hide.version()));
            // compaction keeps a tombstone last for its key, so an unconditional delete is the final word
            case ListingChange.Delete delete -> index.remove(delete.listingId(), OptionalLong.empty());
            case ListingChange.Ignore ignore -> Uni.createFrom().nullItem();
        };
    }
}
