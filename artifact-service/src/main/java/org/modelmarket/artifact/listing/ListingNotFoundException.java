package org.modelmarket.artifact.listing;

import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

/** No listing at these coordinates, or one the caller may not see (private listings stay hidden). */
public class ListingNotFoundException extends ProblemException {

    public ListingNotFoundException(String namespace, String name) {
        super(ArtifactProblem.LISTING_NOT_FOUND, "No listing " + namespace + "/" + name + ".");
    }
}
