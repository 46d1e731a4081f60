package org.modelmarket.artifact.problem;

import org.modelmarket.platform.problem.ProblemType;

/** artifact-service's own problem types, under the product's one scheme {@code https://modelmarket.org/problems/}. */
public final class ArtifactProblem {
    public static final ProblemType LISTING_NOT_FOUND = ProblemType.of("listing-not-found", 404, "Listing not found");
    public static final ProblemType FILE_NOT_FOUND = ProblemType.of("file-not-found", 404, "File not found");
    public static final ProblemType NOT_LISTING_OWNER =
            ProblemType.of("not-listing-owner", 403, "Not an owner of the listing");
    public static final ProblemType FILE_TOO_LARGE = ProblemType.of("file-too-large", 413, "File too large");

    private ArtifactProblem() {}
}
