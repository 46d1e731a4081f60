package org.modelmarket.billing.listing;

import org.modelmarket.billing.problem.BillingProblem;
import org.modelmarket.platform.problem.ProblemException;

/** No listing at these coordinates. */
public class ListingNotFoundException extends ProblemException {

    public ListingNotFoundException(String namespace, String name) {
        super(BillingProblem.LISTING_NOT_FOUND, "No listing " + namespace + "/" + name + ".");
    }
}
