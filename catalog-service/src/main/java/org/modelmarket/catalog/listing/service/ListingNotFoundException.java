package org.modelmarket.catalog.listing.service;

/** No listing {@code namespace/name} the caller may see (404; private listings of others look absent). */
public class ListingNotFoundException extends RuntimeException {

    public ListingNotFoundException(String coordinates) {
        super("Listing " + coordinates + " not found");
    }
}
