package org.modelmarket.gateway.hub.rest;

import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.platform.problem.Problem;

import io.vertx.core.json.JsonObject;

/**
 * Answers the errors the REST layer makes itself on a Hub route (routing's 404, 405 and 415, a body that is not JSON,
 * a rejected token, a 5xx) in the Hub's shape, as the routes' own {@link HubError}s are: {@code X-Error-Message} and a
 * JSON {@code error} (HF-PROTOCOL §2.5, §6.16). The platform's mappers answer them as problem+json, whose content type
 * the JS client does not read ({@code createApiError} needs {@code application/json}). Routes under {@code /api/v1}
 * keep problem+json.
 */
public class HubErrorShape {

    /** The Hub API's paths: the read and write API, whoami, repo creation, YAML validation and the Git LFS API. */
    private static final Pattern HUB =
            Pattern.compile("/api/(models|whoami-v2|repos|validate-yaml)(/.*)?|/[^/]+/[^/]+\\.git/info/lfs(/.*)?");

    public static boolean hubPath(String path) {
        return HUB.matcher(path).matches();
    }

    @ServerResponseFilter
    public void hubShape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400
                || !(response.getEntity() instanceof Problem problem)
                || !hubPath(request.getUriInfo().getPath())) {
            return;
        }
        String message;
        if (response.getStatus() == 401) {
            // What the Python client expects of a rejected token, so that it does not report a missing repository.
            message = HubError.INVALID_CREDENTIALS;
        } else {
            StringBuilder text = new StringBuilder(problem.detail() == null ? problem.title() : problem.detail());
            if (problem.errors() != null && !problem.errors().isEmpty()) {
                text.append(":");
                problem.errors()
                        .forEach(error -> text.append(' ')
                                .append(error.field())
                                .append(' ')
                                .append(error.message())
                                .append(';'));
                text.setLength(text.length() - 1);
            }
            message = text.toString();
        }
        response.getHeaders().putSingle("X-Error-Message", HubErrorMapper.headerSafe(message));
        response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        response.setEntity(
                new JsonObject().put("error", message).encode(),
                new java.lang.annotation.Annotation[0],
                MediaType.APPLICATION_JSON_TYPE);
    }
}
