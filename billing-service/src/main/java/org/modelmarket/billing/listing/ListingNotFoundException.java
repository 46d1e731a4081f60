package org.modelmarket.billing.listing;

import org.modelmarket.billing.problem.ProblemException;

/** No listing at these coordinates. */
public class ListingNotFoundException extends ProblemException {

    public ListingNotFoundException(String namespace, String name) {
        super(404, "listing-not-found", "Listing not found", "No listing " + namespace + "/" + name + ".");
    }
}
