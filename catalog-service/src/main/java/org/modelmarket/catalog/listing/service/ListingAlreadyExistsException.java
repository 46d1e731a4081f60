package org.modelmarket.catalog.listing.service;

/** A listing {@code namespace/name} exists already (409). */
public class ListingAlreadyExistsException extends RuntimeException {

    public ListingAlreadyExistsException(String coordinates) {
        super("Listing " + coordinates + " already exists");
    }
}
