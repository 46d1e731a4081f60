package org.modelmarket.search.problem;

import org.modelmarket.platform.problem.ProblemType;

/** search-service's own problem kinds, under the product's one type-URI scheme (the generic ones are the platform's). */
public final class SearchProblem {
    public static final ProblemType LISTING_NOT_FOUND = ProblemType.of("listing-not-found", 404, "Listing not found");
    public static final ProblemType NO_REBUILD = ProblemType.of("rebuild-not-found", 404, "No rebuild");
    public static final ProblemType REBUILD_IN_PROGRESS =
            ProblemType.of("rebuild-in-progress", 409, "Rebuild in progress");
    public static final ProblemType INDEX_UNAVAILABLE = ProblemType.of("search-unavailable", 503, "Search unavailable");

    private SearchProblem() {}
}
