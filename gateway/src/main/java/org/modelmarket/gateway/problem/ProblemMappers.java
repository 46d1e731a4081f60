package org.modelmarket.gateway.problem;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The gateway's one family of exception mappers: every error leaves as RFC 9457 {@code application/problem+json}.
 * Downstream 4xx problems are passed through unchanged, so callers see the owning service's own words.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Seconds a caller should wait before retrying when a backing service is down. */
    private static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response downstreamProblem(DownstreamProblemException e, UriInfo uri) {
        if (e.body() == null || e.body().isBlank()) {
            ProblemType type = ProblemType.forStatus(e.status());
            Problem problem = new Problem(type.uri(), type.title(), e.status(), e.getMessage(), path(uri), null);
            return problem(problem);
        }
        String contentType = e.contentType() == null ? Problem.MEDIA_TYPE : e.contentType();
        return Response.status(e.status()).type(contentType).entity(e.body()).build();
    }

    @ServerExceptionMapper
    public Response downstreamUnavailable(DownstreamUnavailableException e, UriInfo uri) {
        LOG.warnf("%s (path %s)", e.getMessage(), path(uri));
        boolean failed = e.downstreamStatus() > 0 && e.downstreamStatus() != 503;
        ProblemType type = failed ? ProblemType.BAD_GATEWAY : ProblemType.SERVICE_UNAVAILABLE;
        String detail = failed
                ? "The " + e.service() + " service failed; try again later."
                : "The " + e.service() + " service is unavailable; try again later.";
        Response.ResponseBuilder response = Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, detail, path(uri)));
        return failed ? response.build() : response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return problem(Problem.invalid("The request has invalid fields.", path(uri), errors));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return problem(Problem.of(ProblemType.BAD_REQUEST, "The request body is not valid JSON for this operation.",
                path(uri)));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class })
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(problem(Problem.of(ProblemType.UNAUTHORIZED,
                "A valid bearer token is required.", path(uri))))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(Problem.of(ProblemType.FORBIDDEN, "The caller may not perform this operation.", path(uri)));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        ProblemType type = ProblemType.forStatus(status);
        Response problem = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type.uri(), type.title(), status, e.getMessage(), path(uri), null))
                .build();
        // Keep headers such as Allow (405) that routing set for the caller.
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.error("Unexpected failure", e);
        return problem(Problem.of(ProblemType.INTERNAL, "The gateway failed to handle the request.", path(uri)));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /** The last node of the violation's path: the parameter or property name, without the Java method's name. */
    private static String fieldName(ConstraintViolation<?> violation) {
        String name = null;
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName();
        }
        return name == null ? "" : name;
    }
}
