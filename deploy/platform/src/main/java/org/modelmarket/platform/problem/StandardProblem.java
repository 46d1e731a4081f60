package org.modelmarket.platform.problem;

/** The problem kinds every service shares, one per HTTP status the framework or the platform produces itself. */
public enum StandardProblem implements ProblemType {
    VALIDATION("validation", 400, "Invalid request"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    CONFLICT("conflict", 409, "Conflict"),
    CONCURRENT_MODIFICATION("concurrent-modification", 409, "Concurrent modification"),
    GONE("gone", 410, "Gone"),
    PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
    UNPROCESSABLE("unprocessable", 422, "Unprocessable request"),
    PRECONDITION_REQUIRED("precondition-required", 428, "Precondition required"),
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests"),
    INTERNAL("internal", 500, "Internal server error"),
    BAD_GATEWAY("bad-gateway", 502, "Bad gateway"),
    UNAVAILABLE("unavailable", 503, "Service unavailable"),
    GATEWAY_TIMEOUT("gateway-timeout", 504, "Gateway timeout");

    private final String slug;
    private final int status;
    private final String title;

    StandardProblem(String slug, int status, String title) {
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

    /** The generic kind for a bare HTTP status (e.g. routing's 404/405/415, a proxied error). */
    public static ProblemType forStatus(int status) {
        for (StandardProblem problem : values()) {
            if (problem.status == status && problem != CONCURRENT_MODIFICATION) {
                return problem;
            }
        }
        if (status >= 500) {
            return INTERNAL;
        }
        return ProblemType.of(status >= 400 ? "http-" + status : "validation", status, "HTTP " + status);
    }
}
