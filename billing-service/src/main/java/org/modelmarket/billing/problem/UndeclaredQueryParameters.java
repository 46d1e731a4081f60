package org.modelmarket.billing.problem;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemMappers;
import org.modelmarket.platform.problem.QueryParameters;
import org.modelmarket.platform.problem.StandardProblem;

/**
 * A query parameter the operation does not take is a 400 naming it. Billing answers money questions: a filter or page
 * it silently ignored ({@code GET /api/v1/offers?status=x}, {@code /api/v1/invoices?page=2}) would look applied while
 * the caller gets everything, so it is refused with the parameters the operation does accept.
 */
public class UndeclaredQueryParameters {

    @ServerRequestFilter
    public Response refuseUndeclared(UriInfo uri, ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null || uri.getQueryParameters().isEmpty()) {
            return null;
        }
        Set<String> declared = QueryParameters.declared(method);
        String accepted = declared.isEmpty()
                ? "this operation takes no query parameters"
                : "this operation takes " + String.join(", ", declared);
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String name : new TreeSet<>(uri.getQueryParameters().keySet())) {
            if (!declared.contains(name)) {
                errors.add(new Problem.FieldError(name, "is not a parameter of this operation: " + accepted));
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        return ProblemMappers.problem(StandardProblem.VALIDATION, "Unknown query parameter: " + accepted, uri, errors);
    }
}
