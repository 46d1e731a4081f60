package org.modelmarket.catalog.problem;

import java.net.URI;

/**
 * The catalog's problem types, {@code https://modelmarket.org/problems/<slug>} as the project's convention fixes,
 * each with its HTTP status and title.
 */
public enum ProblemType {
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

    public static final String BASE = "https://modelmarket.org/problems/";

    private final URI uri;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.uri = URI.create(BASE + slug);
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The generic type for a bare HTTP status (e.g. JAX-RS routing's 404/405/415). */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> VALIDATION;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 412 -> PRECONDITION_FAILED;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 428 -> PRECONDITION_REQUIRED;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : VALIDATION;
        };
    }
}
