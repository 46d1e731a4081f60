package org.modelmarket.billing.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 *
 * @param errors field errors, only for validation failures
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {

    /** The media type of problem answers. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_PREFIX = "urn:modelmarket:problem:";

    /** One invalid input field and why it was refused. */
    public record FieldError(String field, String message) {
    }

    /** Builds a problem whose type is the URN {@code urn:modelmarket:problem:<slug>}. */
    public static Problem of(String slug, String title, int status, String detail, String instance) {
        return new Problem(URI.create(TYPE_PREFIX + slug), title, status, detail, instance, List.of());
    }

    /** Returns a copy carrying the given field errors. */
    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, List.copyOf(fieldErrors));
    }
}
