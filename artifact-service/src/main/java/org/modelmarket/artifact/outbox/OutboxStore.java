package org.modelmarket.artifact.outbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/** The relay's view of the outbox table (a port, so the relay's ordering rules are unit-testable). */
public interface OutboxStore {

    /** Up to {@code limit} unsent rows, oldest first (by seq). */
    Uni<List<OutboxRecord>> fetchUnsent(int limit);

    /** Marks a row sent, in its own short transaction. */
    Uni<Void> markSent(UUID id);

    /** Deletes rows sent before {@code cutoff}; returns how many. */
    Uni<Integer> purgeSentBefore(Instant cutoff);
}
