package org.modelmarket.search.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a rejected bearer token with a 401 problem. Authentication is proactive (the default): a request carrying
 * a bad token is refused even on anonymous endpoints, before any REST exception mapper could see it, so the
 * {@link ProblemMappers} shape is produced here, at the HTTP layer.
 */
@ApplicationScoped
public class AuthenticationFailureHandler {

    private final ObjectMapper mapper;

    public AuthenticationFailureHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext context) {
        if (!(rootCause(context.failure()) instanceof AuthenticationFailedException) || context.response().ended()) {
            context.next();
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(ProblemMappers.unauthorized(context.request().path()));
        } catch (JsonProcessingException e) {
            context.next();
            return;
        }
        context.response()
                .setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .end(body);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof AuthenticationFailedException) && cause.getCause() != null
                && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
