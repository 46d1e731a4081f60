package org.modelmarket.catalog.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every 4xx and 5xx response of the service.
 *
 * @param type identifies the problem kind (a {@code https://modelmarket.org/problems/<slug>} URI)
 * @param errors field errors of a validation problem, else absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One invalid input.
     *
     * @param field path of the field in the request, e.g. {@code namespace} or {@code tags[2]}
     */
    public record FieldError(String field, String message) {
    }
}
