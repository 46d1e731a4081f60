package org.modelmarket.catalog.problem;

import org.modelmarket.platform.problem.ProblemType;

/**
 * The catalog's problem types under the product's one scheme ({@code https://modelmarket.org/problems/<slug>}, see
 * the platform library), each with its HTTP status and title. The generic ones repeat the platform's
 * {@code StandardProblem} slugs so that services can name them alongside their own.
 */
public enum CatalogProblem implements ProblemType {
    VALIDATION("validation", 400, "Invalid request"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_A_MEMBER("not-a-member", 403, "Not a member of the vendor"),
    NAMESPACE_OWNED("namespace-owned-by-other", 403, "Namespace owned by another vendor"),
    REVIEW_NOT_ELIGIBLE("review-not-eligible", 403, "Not eligible to review"),
    NOT_FOUND("not-found", 404, "Not found"),
    LISTING_NOT_FOUND("listing-not-found", 404, "Listing not found"),
    VENDOR_NOT_FOUND("vendor-not-found", 404, "Vendor not found"),
    VERSION_NOT_FOUND("version-not-found", 404, "Version not found"),
    REVIEW_NOT_FOUND("review-not-found", 404, "Review not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    LISTING_EXISTS("listing-exists", 409, "Listing already exists"),
    VENDOR_EXISTS("vendor-exists", 409, "Vendor already exists"),
    VERSION_EXISTS("version-exists", 409, "Version already exists"),
    INVALID_TRANSITION("invalid-transition", 409, "Transition not allowed"),
    IMMUTABLE("immutable", 409, "Resource is immutable"),
    CONFLICT("conflict", 409, "Conflict"),
    CONCURRENT_MODIFICATION("concurrent-modification", 409, "Concurrent modification"),
    PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    INCOMPLETE_LISTING("incomplete-listing", 422, "Listing incomplete for review"),
    PRECONDITION_REQUIRED("precondition-required", 428, "Precondition required"),
    INTERNAL("internal", 500, "Internal server error"),
    UNAVAILABLE("unavailable", 503, "Service unavailable");

    private final String slug;
    private final int status;
    private final String title;

    CatalogProblem(String slug, int status, String title) {
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
