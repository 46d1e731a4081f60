package org.modelmarket.search.index;

/**
 * One versioned write of a bulk load: store {@code document}, or remove the listing when it is null.
 *
 * @param version external version: the aggregate version, or {@link ListingIndex#TOMBSTONE_VERSION}
 */
public record IndexOperation(String listingId, long version, ListingDocument document) {

    public static IndexOperation upsert(ListingDocument document) {
        return new IndexOperation(document.listingId(), document.version(), document);
    }

    public static IndexOperation remove(String listingId, long version) {
        return new IndexOperation(listingId, version, null);
    }
}
