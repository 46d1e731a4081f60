package org.modelmarket.billing.problem;

import org.modelmarket.platform.problem.ProblemType;

/** billing-service's own problem types, under the product's one scheme {@code https://modelmarket.org/problems/}. */
public final class BillingProblem {
    public static final ProblemType LISTING_NOT_FOUND = ProblemType.of("listing-not-found", 404, "Listing not found");

    private BillingProblem() {}
}
