package org.modelmarket.platform.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An RFC 9457 problem detail, the body of every 4xx and 5xx response of every service.
 *
 * @param type identifies the problem kind: {@code https://modelmarket.org/problems/<slug>}
 * @param errors field errors of a validation problem, else absent
 * @param errorId on a 5xx only: the id also written in the log line of the failure
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors", "errorId"})
public record Problem(
        URI type, String title, int status, String detail, String instance, List<FieldError> errors, String errorId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    /**
     * One invalid input.
     *
     * @param field path of the field in the request, e.g. {@code namespace}, {@code tags[2]} or
     *        {@code evaluations[0].metric}
     */
    public record FieldError(String field, String message) {}
}
