package org.modelmarket.search.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error search-service produces.
 *
 * @param type     a URI naming the kind of problem
 * @param title    a short, human-readable summary of the kind of problem
 * @param status   the HTTP status code
 * @param detail   what went wrong in this occurrence
 * @param instance the request path the problem occurred on
 * @param errors   field errors, for validation problems only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {

    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected input field of a validation problem. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, null);
    }

    public static Problem invalid(String detail, String instance, List<FieldError> errors) {
        ProblemType type = ProblemType.VALIDATION;
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, List.copyOf(errors));
    }
}
