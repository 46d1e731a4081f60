package org.modelmarket.billing.problem;

import org.modelmarket.platform.problem.ProblemType;

/** billing-service's own problem types, under the product's one scheme {@code https://modelmarket.org/problems/}. */
public final class BillingProblem {
    public static final ProblemType LISTING_NOT_FOUND = ProblemType.of("listing-not-found", 404, "Listing not found");
    public static final ProblemType PRICING_NOT_FOUND = ProblemType.of("pricing-not-found", 404, "No pricing");
    public static final ProblemType OFFER_NOT_FOUND = ProblemType.of("offer-not-found", 404, "Offer not found");
    public static final ProblemType SUBSCRIPTION_NOT_FOUND =
            ProblemType.of("subscription-not-found", 404, "Subscription not found");
    public static final ProblemType RECEIPT_NOT_FOUND = ProblemType.of("receipt-not-found", 404, "Receipt not found");
    public static final ProblemType INVOICE_NOT_FOUND = ProblemType.of("invoice-not-found", 404, "Invoice not found");
    public static final ProblemType LISTING_IS_FREE =
            ProblemType.of("listing-is-free", 409, "The listing is free: it has no pricing and no subscriptions");
    public static final ProblemType ALREADY_SUBSCRIBED =
            ProblemType.of("already-subscribed", 409, "The buyer already holds a subscription to this listing");
    public static final ProblemType TRANSITION_NOT_ALLOWED =
            ProblemType.of("transition-not-allowed", 409, "The subscription's status does not allow this change");
    public static final ProblemType OFFER_UNAVAILABLE =
            ProblemType.of("offer-unavailable", 409, "The offer has expired or was accepted already");
    public static final ProblemType INVOICE_STATE =
            ProblemType.of("invoice-state", 409, "The invoice's status does not allow this change");

    private BillingProblem() {}
}
