package org.modelmarket.artifact.listing;

import org.modelmarket.artifact.problem.ProblemException;

/** The caller is authenticated but is not among the listing's owners. */
public class NotListingOwnerException extends ProblemException {

    public NotListingOwnerException(String coordinates) {
        super(403, "not-listing-owner", "Not an owner of the listing",
                "Only the owners of " + coordinates + " may change its files.");
    }
}
