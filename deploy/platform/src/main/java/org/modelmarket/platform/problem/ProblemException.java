package org.modelmarket.platform.problem;

import java.util.List;
import java.util.Map;

/**
 * A failure the caller can act on, thrown by a service with its own {@link ProblemType} and rendered as
 * problem+json by {@link ProblemMappers}: the type fixes the status and title, the detail says what happened.
 * Headers (e.g. {@code Retry-After}, {@code WWW-Authenticate}) are added to the response.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final transient List<Problem.FieldError> errors;
    private final transient Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null, Map.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        this(type, detail, errors, Map.of());
    }

    public ProblemException(
            ProblemType type, String detail, List<Problem.FieldError> errors, Map<String, String> headers) {
        // No stack trace: these are expected outcomes, not bugs, and are never logged as errors.
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors == null ? null : List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    /** A 400 validation problem on one field. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(
                StandardProblem.VALIDATION,
                "The request has invalid fields",
                List.of(new Problem.FieldError(field, message)));
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
