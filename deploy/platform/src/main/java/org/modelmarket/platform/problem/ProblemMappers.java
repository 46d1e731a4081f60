package org.modelmarket.platform.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

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
 * The product's one exception-to-problem translation (RESTEasy Reactive mappers): every failure leaves as RFC 9457
 * {@code application/problem+json} under {@code https://modelmarket.org/problems/<slug>}.
 * <p>
 * Security exceptions arrive here when the service sets {@code quarkus.http.auth.proactive=false} (authentication
 * inside the REST layer), so 401 (with {@code WWW-Authenticate: Bearer}) and 403 take the same path as every other
 * error. Failures nothing else recognises are offered to the service's {@link ProblemTranslator} beans (cause chain
 * included), and otherwise become a 500 whose error id is both in the body and in the log line; nothing else of them
 * is disclosed. The mappers have the default priority ({@link Priorities#USER}), which also puts them before
 * Quarkus's built-in ones (e.g. the bare 401 challenge); a service that must map one of these exception types its own
 * way declares its mapper with a higher priority (a lower number, e.g. {@code Priorities.USER - 1}).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final int PRIORITY = Priorities.USER;
    private static final String INVALID_FIELDS = "The request has invalid fields";

    private final Instance<ProblemTranslator> translators;

    public ProblemMappers(Instance<ProblemTranslator> translators) {
        this.translators = translators;
    }

    @ServerExceptionMapper(
            value = {ConstraintViolationException.class, ResteasyReactiveViolationException.class},
            priority = PRIORITY)
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldPath(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return problem(StandardProblem.VALIDATION, INVALID_FIELDS, uri, errors);
    }

    @ServerExceptionMapper(
            value = {
                JsonProcessingException.class,
                JsonParseException.class,
                JsonMappingException.class,
                MismatchedInputException.class,
                InvalidFormatException.class,
                ValueInstantiationException.class
            },
            priority = PRIORITY)
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return problem(
                    StandardProblem.VALIDATION,
                    INVALID_FIELDS,
                    uri,
                    List.of(new Problem.FieldError(jsonPath(mapping.getPath()), describe(mapping))));
        }
        return problem(StandardProblem.VALIDATION, "The request body is not valid JSON", uri, null);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response unreadableBody(UnreadableBodyException e, UriInfo uri) {
        return unreadableBody(e.json(), uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response problemException(ProblemException e, UriInfo uri) {
        return toResponse(e, uri);
    }

    @ServerExceptionMapper(
            value = {UnauthorizedException.class, AuthenticationFailedException.class},
            priority = PRIORITY)
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(problem(
                        StandardProblem.UNAUTHORIZED,
                        "Authentication is required: send a valid bearer token",
                        uri,
                        null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(StandardProblem.FORBIDDEN, "The caller lacks the role this operation requires", uri, null);
    }

    /**
     * Quarkus REST answers a path or query parameter it cannot convert ({@code page=abc}) with a 404 whose cause is
     * the conversion failure. A query parameter is bad input: a 400 naming it and what it must be. A path parameter
     * that does not convert names no resource, so it stays a 404, like routing's.
     */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response notFound(NotFoundException e, UriInfo uri, ResourceInfo resource) {
        if (e.getCause() != null && uri != null && resource != null) {
            Optional<ParameterTypes.Unconvertible> bad = ParameterTypes.firstUnconvertibleQueryParameter(
                    resource.getResourceMethod(), uri.getQueryParameters());
            if (bad.isPresent()) {
                Problem.FieldError error = bad.get().error();
                String value = bad.get().value();
                // the value as sent (shortened) shows the caller which of several values is meant
                String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
                return problem(
                        StandardProblem.VALIDATION,
                        "A query parameter is malformed: " + error.field() + " " + error.message() + ", not '" + shown
                                + "'",
                        uri,
                        List.of(error));
            }
        }
        return webApplication(e, uri);
    }

    /** Routing's 404/405/406/415 and any other {@link WebApplicationException}, keeping its headers (e.g. Allow). */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        // The JSON reader wraps a body it cannot parse; describe it like any other unreadable body.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (status == 400 && cause instanceof JsonProcessingException json) {
                return unreadableBody(json, uri);
            }
        }
        Response problem;
        if (status >= 500) {
            problem = serverError(StandardProblem.forStatus(status), e, uri);
        } else if (status == 401) {
            return unauthorized(e, uri);
        } else {
            problem = problem(StandardProblem.forStatus(status), e.getMessage(), uri, null);
        }
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        e.getResponse().getStringHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                    && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** Last resort; asks the service's translators along the cause chain (reactive pipelines wrap failures). */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response unexpected(Throwable e, UriInfo uri) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return toResponse(problem, uri);
            }
            for (ProblemTranslator translator : translators) {
                Optional<ProblemException> translated = translator.translate(cause);
                if (translated.isPresent()) {
                    return toResponse(translated.get(), uri);
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return serverError(StandardProblem.INTERNAL, e, uri);
    }

    /** Renders a {@link ProblemException}; public so that other entry points (e.g. a gateway filter) reuse it. */
    public static Response toResponse(ProblemException e, UriInfo uri) {
        if (e.type().status() >= 500) {
            UUID errorId = UUID.randomUUID();
            LOG.errorf("Error %s on %s: %s", errorId, path(uri), e.getMessage());
            return withHeaders(
                    build(new Problem(
                            e.type().uri(),
                            e.type().title(),
                            e.type().status(),
                            e.getMessage() + " (error id " + errorId + ")",
                            instance(uri),
                            e.errors(),
                            errorId.toString())),
                    e);
        }
        return withHeaders(problem(e.type(), e.getMessage(), uri, e.errors()), e);
    }

    /** A problem response of {@code type} (its status and title). */
    public static Response problem(ProblemType type, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        return build(new Problem(type.uri(), type.title(), type.status(), detail, instance(uri), errors));
    }

    private static Response serverError(ProblemType type, Throwable e, UriInfo uri) {
        UUID errorId = UUID.randomUUID();
        // The id is in the body and in this line, so an operator finds the stack trace a caller reports.
        LOG.errorf(e, "Unexpected error %s on %s", errorId, path(uri));
        return build(new Problem(
                type.uri(),
                type.title(),
                type.status(),
                "An unexpected error occurred (error id " + errorId + ")",
                instance(uri),
                null,
                errorId.toString()));
    }

    private static Response withHeaders(Response response, ProblemException e) {
        if (e.headers().isEmpty()) {
            return response;
        }
        Response.ResponseBuilder builder = Response.fromResponse(response);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    private static Response build(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    private static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    private static String path(UriInfo uri) {
        return uri == null ? "?" : uri.getPath();
    }

    /**
     * The request field a violation concerns, full path: bean properties joined by dots, list indexes and map keys
     * in brackets, the resource method and body parameter nodes left out ({@code evaluations[1].metric}, not
     * {@code create.request.evaluations[1].metric}); a query or path parameter is named ({@code size}, {@code tags[2]}).
     */
    public static String fieldPath(Path path) {
        // A parameter names the field only when it is not a body whose properties follow (a query or path
        // parameter: size, tags[2]); a body parameter's name is Java's, not the caller's.
        boolean propertyFollows = false;
        for (Path.Node node : path) {
            propertyFollows |= node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.BEAN;
        }
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.PARAMETER && !propertyFollows && node.getName() != null) {
                field.append(node.getName());
                continue;
            }
            if (kind == ElementKind.METHOD
                    || kind == ElementKind.PARAMETER
                    || kind == ElementKind.RETURN_VALUE
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
        if (e instanceof InvalidFormatException invalid
                && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            Set<String> allowed = new LinkedHashSet<>();
            for (Object constant : invalid.getTargetType().getEnumConstants()) {
                allowed.add(wireName((Enum<?>) constant));
            }
            return "must be one of " + String.join(", ", allowed);
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "must be " + ParameterTypes.describe(mismatched.getTargetType(), true);
        }
        return "has an invalid value";
    }

    /** The enum constant as JSON spells it (its {@code @JsonProperty}), else its name. */
    static String wireName(Enum<?> constant) {
        try {
            JsonProperty property =
                    constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return property != null && !property.value().isEmpty() ? property.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
