package org.modelmarket.search.projection;

import org.modelmarket.search.index.ListingDocument;

/** What one {@code catalog.listings} record asks of the index. */
public sealed interface ListingChange {

    /** The listing's id (the record key). */
    String listingId();

    /** A searchable listing at a given version: store it. */
    record Upsert(String listingId, ListingDocument document) implements ListingChange {}

    /** A listing that is no longer searchable (private, unlisted, unpublished) as of {@code version}: remove it. */
    record Hide(String listingId, long version) implements ListingChange {}

    /** A tombstone: the listing was deleted. */
    record Delete(String listingId) implements ListingChange {}

    /** A record of another type on the topic: nothing to do. */
    record Ignore(String listingId, String type) implements ListingChange {}
}
