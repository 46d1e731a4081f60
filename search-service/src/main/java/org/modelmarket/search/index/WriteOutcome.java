package org.modelmarket.search.index;

/** What a write to the index did; all of these are successes from the projection's point of view. */
public enum WriteOutcome {
    /** The document was created or replaced. */
    INDEXED,
    /** The document was removed. */
    DELETED,
    /** The index already held this or a newer version: nothing changed. */
    STALE,
    /** A removal found no document: nothing changed. */
    ABSENT
}
