package org.modelmarket.search.problem;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.index.InvalidCursorException;
import org.modelmarket.search.rebuild.RebuildInProgressException;

/**
 * The service's one family of exception mappers: every error a REST endpoint raises leaves as
 * RFC 9457 {@code application/problem+json}. Bearer tokens rejected before routing are answered in the same shape by
 * {@link AuthenticationFailureHandler}.
 */
public class ProblemMappers {

    /** Seconds a client should wait before retrying while the index is unavailable. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public RestResponse<Problem> validation(ConstraintViolationException e, UriInfo uri) {
        if (e.getConstraintViolations().stream().anyMatch(ProblemMappers::isReturnValue)) {
            // our own response broke its constraints: a bug, not the caller's fault
            LOG.errorf(e, "Invalid response on %s", uri.getPath());
            return answer(Problem.of(ProblemType.INTERNAL, "The service failed; see its log.", instance(uri)));
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        return answer(Problem.invalid("The request has invalid parameters.", instance(uri), errors));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidRequestException e, UriInfo uri) {
        return answer(Problem.invalid(e.getMessage(), instance(uri), e.errors()));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalidCursor(InvalidCursorException e, UriInfo uri) {
        return answer(Problem.invalid("The request has invalid parameters.", instance(uri),
                List.of(new Problem.FieldError("cursor", e.getMessage()))));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(org.modelmarket.search.problem.NotFoundException e, UriInfo uri) {
        return answer(Problem.of(ProblemType.NOT_FOUND, e.getMessage(), instance(uri)));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> conflict(RebuildInProgressException e, UriInfo uri) {
        return answer(Problem.of(ProblemType.CONFLICT, e.getMessage(), instance(uri)));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unavailable(IndexUnavailableException e, UriInfo uri) {
        LOG.warnf("Search index unavailable on %s: %s", uri.getPath(), e.getMessage());
        return RestResponse.ResponseBuilder
                .create(RestResponse.Status.SERVICE_UNAVAILABLE,
                        Problem.of(ProblemType.SERVICE_UNAVAILABLE, "The search index is unavailable; retry later.", instance(uri)))
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class })
    public RestResponse<Problem> unauthenticated(RuntimeException e, UriInfo uri) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.UNAUTHORIZED, unauthorized(instance(uri)))
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return answer(Problem.of(ProblemType.FORBIDDEN, "The caller's roles do not allow this operation.", instance(uri)));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e, UriInfo uri) {
        if (e instanceof NotFoundException && causedBy(e, IllegalArgumentException.class)) {
            // JAX-RS answers an unconvertible query parameter (page=abc) with 404; it is the caller's bad input
            return answer(Problem.of(ProblemType.BAD_REQUEST, "A query parameter is malformed: " + e.getCause().getMessage(),
                    instance(uri)));
        }
        int status = e.getResponse().getStatus();
        return answer(new Problem(ProblemType.forStatus(status).uri(), e.getResponse().getStatusInfo().getReasonPhrase(),
                status, e.getMessage(), instance(uri), null));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure on %s", uri.getPath());
        return answer(Problem.of(ProblemType.INTERNAL, "The service failed; see its log.", instance(uri)));
    }

    static Problem unauthorized(String instance) {
        return Problem.of(ProblemType.UNAUTHORIZED, "The bearer token is missing, invalid or expired.", instance);
    }

    private static RestResponse<Problem> answer(Problem problem) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(problem.status()), problem)
                .type(Problem.MEDIA_TYPE)
                .build();
    }

    private static String instance(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isReturnValue(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** The last named node of a property path: {@code search.size} becomes {@code size}. */
    private static String field(ConstraintViolation<?> violation) {
        String field = "";
        for (Path.Node node : violation.getPropertyPath()) {
            field = node.getName() == null ? field : node.getName();
        }
        return field;
    }
}
