package org.modelmarket.catalog.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The service's one exception-to-problem translation: every failure leaves as RFC 9457
 * {@code application/problem+json}. Security exceptions arrive here because proactive authentication is off
 * ({@code quarkus.http.auth.proactive=false}). Unexpected errors are logged with an id that the 500 body repeats,
 * and nothing else of them is disclosed.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Database constraints whose violation means "this exists already" rather than a bug. */
    private static final String LISTING_UNIQUE = "uq_listing_namespace_name";
    private static final String VENDOR_PK = "pk_vendor";
    private static final String VERSION_UNIQUE = "uq_listing_version";

    @ServerExceptionMapper({ ConstraintViolationException.class, ResteasyReactiveViolationException.class })
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldPath(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return problem(ProblemType.VALIDATION, 400, "The request has invalid fields", uri, errors);
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, JsonMappingException.class,
            MismatchedInputException.class, InvalidFormatException.class, ValueInstantiationException.class })
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            return problem(ProblemType.VALIDATION, 400, "The request has invalid fields", uri,
                    List.of(new Problem.FieldError(field, describe(mapping))));
        }
        return problem(ProblemType.VALIDATION, 400, "The request body is not valid JSON", uri, null);
    }

    @ServerExceptionMapper
    public Response unreadableBody(UnreadableBodyException e, UriInfo uri) {
        return unreadableBody(e.json(), uri);
    }

    @ServerExceptionMapper
    public Response domain(ProblemException e, UriInfo uri) {
        return problem(e.type(), e.type().status(), e.getMessage(), uri, e.errors());
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(problem(ProblemType.UNAUTHORIZED, 401,
                "Authentication is required: send a valid bearer token", uri, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(ProblemType.FORBIDDEN, 403, "The caller lacks the role this operation requires", uri, null);
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class })
    public Response concurrentModification(RuntimeException e, UriInfo uri) {
        return problem(ProblemType.CONCURRENT_MODIFICATION, 409,
                "The resource was changed by someone else; reload it and retry", uri, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String detail = status >= 500 ? null : e.getMessage();
        Response problem = status(status, detail, uri);
        // Keep headers such as Allow (405) or Retry-After (503) that the original response carried.
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        e.getResponse().getStringHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** Last resort; also unwraps failures that reactive pipelines wrapped in other exceptions. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException violation) {
                return constraintViolated(violation, uri);
            }
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException) {
                return concurrentModification((RuntimeException) cause, uri);
            }
        }
        UUID errorId = UUID.randomUUID();
        LOG.errorf(e, "Unexpected error %s on %s", errorId, uri.getPath());
        return status(500, "An unexpected error occurred (error id " + errorId + ")", uri);
    }

    private Response constraintViolated(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        String constraint = e.getConstraintName() == null ? "" : e.getConstraintName();
        if (constraint.contains(LISTING_UNIQUE)) {
            return problem(ProblemType.LISTING_EXISTS, 409, "The listing already exists", uri, null);
        }
        if (constraint.contains(VENDOR_PK)) {
            return problem(ProblemType.VENDOR_EXISTS, 409, "The namespace is taken (perhaps concurrently)", uri, null);
        }
        if (constraint.contains(VERSION_UNIQUE)) {
            return problem(ProblemType.VERSION_EXISTS, 409, "The version exists already", uri, null);
        }
        UUID errorId = UUID.randomUUID();
        LOG.errorf(e, "Unexpected constraint violation %s on %s", errorId, uri.getPath());
        return status(500, "An unexpected error occurred (error id " + errorId + ")", uri);
    }

    private static Response status(int status, String detail, UriInfo uri) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        return build(new Problem(ProblemType.forStatus(status).uri(), title, status, detail, instance(uri), null));
    }

    private static Response problem(ProblemType type, int status, String detail, UriInfo uri,
            List<Problem.FieldError> errors) {
        return build(new Problem(type.uri(), type.title(), status, detail, instance(uri), errors));
    }

    private static Response build(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /**
     * The request field a violation concerns: bean properties joined by dots, list indexes in brackets, the
     * resource method and parameter nodes left out ({@code tags[1]}, not {@code create.request.tags[1]...}).
     */
    static String fieldPath(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.PARAMETER || kind == ElementKind.RETURN_VALUE
                    || kind == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            // A node's index or key is its position in the container the previous node names.
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    field.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    field.append('[').append(node.getKey()).append(']');
                }
            }
            if (kind != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            Set<String> allowed = new java.util.LinkedHashSet<>();
            for (Object constant : invalid.getTargetType().getEnumConstants()) {
                allowed.add(wireName((Enum<?>) constant));
            }
            return "must be one of " + String.join(", ", allowed);
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "must be a " + jsonTypeName(mismatched.getTargetType());
        }
        return "has an invalid value";
    }

    /** The enum constant as JSON spells it (its {@code @JsonProperty}), else its name. */
    private static String wireName(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(JsonProperty.class);
            return property != null && !property.value().isEmpty() ? property.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }

    private static String jsonTypeName(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "JSON object";
    }
}
