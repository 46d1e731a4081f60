package org.modelmarket.billing.problem;

import org.modelmarket.platform.problem.ProblemType;

/** billing-service's own problem types, under the product's one scheme {@code https://modelmarket.org/problems/}. */
public enum BillingProblem implements ProblemType {
    LISTING_NOT_FOUND("listing-not-found", 404, "Listing not found");

    private final String slug;
    private final int status;
    private final String title;

    BillingProblem(String slug, int status, String title) {
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
