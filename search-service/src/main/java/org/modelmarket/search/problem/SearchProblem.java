package org.modelmarket.search.problem;

import org.modelmarket.platform.problem.ProblemType;

/** search-service's own problem kinds, under the product's one type-URI scheme (the generic ones are the platform's). */
public enum SearchProblem implements ProblemType {

    LISTING_NOT_FOUND("listing-not-found", 404, "Listing not found"),
    NO_REBUILD("rebuild-not-found", 404, "No rebuild"),
    REBUILD_IN_PROGRESS("rebuild-in-progress", 409, "Rebuild in progress"),
    INDEX_UNAVAILABLE("search-unavailable", 503, "Search unavailable");

    private final String slug;
    private final int status;
    private final String title;

    SearchProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
