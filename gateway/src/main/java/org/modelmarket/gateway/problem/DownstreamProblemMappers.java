package org.modelmarket.gateway.problem;

import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.ProblemMappers;
import org.modelmarket.platform.problem.ProblemType;
import org.modelmarket.platform.problem.StandardProblem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's only own mappers, for the failures of its downstream calls; everything else (validation, 401/403,
 * routing, 5xx) is the platform's {@link ProblemMappers}. A downstream 4xx problem already in the product's scheme
 * passes through unchanged, so callers see the owning service's own words; any other downstream 4xx body (empty, not a
 * problem, another scheme) is answered as the gateway's own problem of that status, so {@code /api/v1} speaks one
 * scheme.
 */
public class DownstreamProblemMappers {

    private static final Logger LOG = Logger.getLogger(DownstreamProblemMappers.class);

    /** Seconds a caller should wait before retrying when a backing service is down. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final ObjectMapper json;

    public DownstreamProblemMappers(ObjectMapper json) {
        this.json = json;
    }

    @ServerExceptionMapper
    public Response downstreamProblem(DownstreamProblemException e, UriInfo uri) {
        JsonNode body = parse(e.body());
        if (body != null && body.path("type").asText("").startsWith(ProblemType.BASE)) {
            return Response.status(e.status())
                    .type(Problem.MEDIA_TYPE)
                    .entity(e.body())
                    .build();
        }
        String detail =
                body != null && body.hasNonNull("detail") ? body.get("detail").asText() : e.getMessage();
        return ProblemMappers.problem(StandardProblem.forStatus(e.status()), detail, uri, null);
    }

    @ServerExceptionMapper
    public Response downstreamUnavailable(DownstreamUnavailableException e, UriInfo uri) {
        LOG.warnf("%s (path %s)", e.getMessage(), uri.getPath());
        boolean failed = e.downstreamStatus() > 0 && e.downstreamStatus() != 503;
        if (failed) {
            return ProblemMappers.toResponse(
                    new ProblemException(
                            StandardProblem.BAD_GATEWAY, "The " + e.service() + " service failed; try again later."),
                    uri);
        }
        return ProblemMappers.toResponse(
                new ProblemException(
                        StandardProblem.UNAVAILABLE,
                        "The " + e.service() + " service is unavailable; try again later.",
                        null,
                        Map.of(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)),
                uri);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
