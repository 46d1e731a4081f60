package org.modelmarket.artifact.listing;

import org.modelmarket.artifact.problem.ProblemException;

/** No listing at these coordinates, or one the caller may not see (private listings stay hidden). */
public class ListingNotFoundException extends ProblemException {

    public ListingNotFoundException(String namespace, String name) {
        super(404, "listing-not-found", "Listing not found", "No listing " + namespace + "/" + name + ".");
    }
}
