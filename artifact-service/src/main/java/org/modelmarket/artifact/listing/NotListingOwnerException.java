package org.modelmarket.artifact.listing;

import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

/** The caller is authenticated but is not among the listing's owners. */
public class NotListingOwnerException extends ProblemException {

    public NotListingOwnerException(String coordinates) {
        super(ArtifactProblem.NOT_LISTING_OWNER, "Only the owners of " + coordinates + " may change its files.");
    }
}
