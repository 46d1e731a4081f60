package org.modelmarket.search.problem;

import java.net.URI;

/** The kinds of problem search-service reports; the type URIs are shared with the other ModelMarket services. */
public enum ProblemType {

    VALIDATION(400, "Invalid request", "validation"),
    BAD_REQUEST(400, "Bad request", "bad-request"),
    UNAUTHORIZED(401, "Authentication required", "unauthorized"),
    FORBIDDEN(403, "Forbidden", "forbidden"),
    NOT_FOUND(404, "Not found", "not-found"),
    CONFLICT(409, "Conflict", "conflict"),
    METHOD_NOT_ALLOWED(405, "Method not allowed", "method-not-allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable", "not-acceptable"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", "unsupported-media-type"),
    INTERNAL(500, "Internal error", "internal"),
    SERVICE_UNAVAILABLE(503, "Service unavailable", "service-unavailable");

    private static final String BASE = "https://modelmarket.org/problems/";

    private final int status;
    private final String title;
    private final URI uri;

    ProblemType(int status, String title, String slug) {
        this.status = status;
        this.title = title;
        this.uri = URI.create(BASE + slug);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return uri;
    }

    /** The type for a bare HTTP status, e.g. one raised by JAX-RS routing. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != VALIDATION) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
