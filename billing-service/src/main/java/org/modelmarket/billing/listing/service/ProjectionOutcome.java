package org.modelmarket.billing.listing.service;

/** What applying one catalog event did to the projection. */
public enum ProjectionOutcome {
    /** The event was newer and is now reflected. */
    APPLIED,
    /** The event was a duplicate or older than the stored version. */
    IGNORED,
    /** A tombstone removed the listing. */
    DELETED
}
