package org.modelmarket.search.problem;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.platform.problem.ProblemMappers;
import org.modelmarket.platform.problem.StandardProblem;

/**
 * JAX-RS answers a query parameter it cannot convert ({@code page=abc}) with a 404; for the caller it is bad input, so
 * this mapper (ahead of the platform's) makes it a 400 validation problem. Any other 404 is the platform's.
 */
public class QueryParameterMappers {

    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response notFound(NotFoundException e, UriInfo uri) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException) {
                return ProblemMappers.problem(
                        StandardProblem.VALIDATION, "A query parameter is malformed: " + cause.getMessage(), uri, null);
            }
        }
        return ProblemMappers.problem(StandardProblem.NOT_FOUND, e.getMessage(), uri, null);
    }
}
