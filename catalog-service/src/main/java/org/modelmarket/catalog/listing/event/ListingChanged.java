package org.modelmarket.catalog.listing.event;

/**
 * The {@code org.modelmarket.catalog.ListingChanged} event: full listing state ({@link ListingChangedData}) on the
 * compacted topic {@code catalog.listings}, keyed by listing id,
 * with {@code aggregateversion} = the listing's state revision (strictly increasing on every change, stats included).
 */
public final class ListingChanged {

    /** CloudEvents {@code type}. */
    public static final String TYPE = "org.modelmarket.catalog.ListingChanged";

    /** Topic holding the latest state of every listing (compacted). */
    public static final String TOPIC = "catalog.listings";

    /** Outbox {@code aggregatetype}. */
    public static final String AGGREGATE_TYPE = "listing";

    private ListingChanged() {}
}
