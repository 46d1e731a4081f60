package org.modelmarket.catalog.problem;

import org.modelmarket.platform.problem.ProblemType;

/**
 * The catalog's problem types under the product's one scheme ({@code https://modelmarket.org/problems/<slug>}, see
 * the platform library), each with its HTTP status and title. The generic ones repeat the platform's
 * {@code StandardProblem} slugs so that services can name them alongside their own.
 */
public final class CatalogProblem {
    public static final ProblemType VALIDATION = ProblemType.of("validation", 400, "Invalid request");
    public static final ProblemType UNAUTHORIZED = ProblemType.of("unauthorized", 401, "Unauthorized");
    public static final ProblemType FORBIDDEN = ProblemType.of("forbidden", 403, "Forbidden");
    public static final ProblemType NOT_A_MEMBER = ProblemType.of("not-a-member", 403, "Not a member of the vendor");
    public static final ProblemType NAMESPACE_OWNED =
            ProblemType.of("namespace-owned-by-other", 403, "Namespace owned by another vendor");
    public static final ProblemType REVIEW_NOT_ELIGIBLE =
            ProblemType.of("review-not-eligible", 403, "Not eligible to review");
    public static final ProblemType NOT_FOUND = ProblemType.of("not-found", 404, "Not found");
    public static final ProblemType LISTING_NOT_FOUND = ProblemType.of("listing-not-found", 404, "Listing not found");
    public static final ProblemType VENDOR_NOT_FOUND = ProblemType.of("vendor-not-found", 404, "Vendor not found");
    public static final ProblemType VERSION_NOT_FOUND = ProblemType.of("version-not-found", 404, "Version not found");
    public static final ProblemType REVIEW_NOT_FOUND = ProblemType.of("review-not-found", 404, "Review not found");
    public static final ProblemType METHOD_NOT_ALLOWED =
            ProblemType.of("method-not-allowed", 405, "Method not allowed");
    public static final ProblemType NOT_ACCEPTABLE = ProblemType.of("not-acceptable", 406, "Not acceptable");
    public static final ProblemType LISTING_EXISTS = ProblemType.of("listing-exists", 409, "Listing already exists");
    public static final ProblemType VENDOR_EXISTS = ProblemType.of("vendor-exists", 409, "Vendor already exists");
    public static final ProblemType VERSION_EXISTS = ProblemType.of("version-exists", 409, "Version already exists");
    public static final ProblemType INVALID_TRANSITION =
            ProblemType.of("invalid-transition", 409, "Transition not allowed");
    public static final ProblemType IMMUTABLE = ProblemType.of("immutable", 409, "Resource is immutable");
    public static final ProblemType CONFLICT = ProblemType.of("conflict", 409, "Conflict");
    public static final ProblemType CONCURRENT_MODIFICATION =
            ProblemType.of("concurrent-modification", 409, "Concurrent modification");
    public static final ProblemType PRECONDITION_FAILED =
            ProblemType.of("precondition-failed", 412, "Precondition failed");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            ProblemType.of("unsupported-media-type", 415, "Unsupported media type");
    public static final ProblemType INCOMPLETE_LISTING =
            ProblemType.of("incomplete-listing", 422, "Listing incomplete for review");
    public static final ProblemType PRECONDITION_REQUIRED =
            ProblemType.of("precondition-required", 428, "Precondition required");
    public static final ProblemType INTERNAL = ProblemType.of("internal", 500, "Internal server error");
    public static final ProblemType UNAVAILABLE = ProblemType.of("unavailable", 503, "Service unavailable");

    private CatalogProblem() {}
}
