package org.modelmarket.billing.problem;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemMappers;
import org.modelmarket.platform.problem.StandardProblem;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;

/**
 * Validation failures with the violated path or query parameter named as the field ({@code namespace}), as the API
 * always answered. Workaround: the platform's {@link ProblemMappers#fieldPath} drops parameter nodes and so names
 * every parameter violation {@code body}; delete this class once the platform names parameters itself.
 */
public class ParameterViolationMapper {

    @ServerExceptionMapper(value = { ConstraintViolationException.class, ResteasyReactiveViolationException.class },
            priority = Priorities.USER - 1)
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(field(violation.getPropertyPath()), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        return ProblemMappers.problem(StandardProblem.VALIDATION, "The request has invalid fields", uri, errors);
    }

    /** A path ending at a method parameter is that parameter; anything else is the platform's full path. */
    static String field(Path path) {
        Path.Node last = null;
        for (Path.Node node : path) {
            last = node;
        }
        return last != null && last.getKind() == ElementKind.PARAMETER
                ? last.getName()
                : ProblemMappers.fieldPath(path);
    }
}
