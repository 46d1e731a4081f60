package org.modelmarket.gateway.route.proxy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;

/**
 * The gateway's own problems on the proxied routes (the Vert.x layer, outside Quarkus REST and its mappers), in the
 * platform's one shape: {@code type, title, status, detail, instance} and, on every 5xx, an {@code errorId} that is
 * also in the log line.
 */
public final class EdgeProblems {

    private static final Logger LOG = Logger.getLogger(EdgeProblems.class);

    private EdgeProblems() {}

    /** A problem ready to be written: status, headers (content type included) and the JSON body. */
    public record Rendered(int status, Map<String, String> headers, Buffer body) {}

    public static Rendered render(
            ObjectMapper json, ProblemType type, String detail, String path, Map<String, String> headers) {
        return render(json, type, detail, null, path, null, headers);
    }

    /** A 4xx with the fields that were wrong ({@code errors}, as the services' validation problems list them). */
    public static Rendered render(
            ObjectMapper json, ProblemType type, String detail, String path, List<Problem.FieldError> errors) {
        return render(json, type, detail, null, path, errors, Map.of());
    }

    /** As above; {@code cause} (may be null) goes to the log line of a 5xx, not to the caller. */
    static Rendered render(
            ObjectMapper json,
            ProblemType type,
            String detail,
            String cause,
            String path,
            Map<String, String> headers) {
        return render(json, type, detail, cause, path, null, headers);
    }

    private static Rendered render(
            ObjectMapper json,
            ProblemType type,
            String detail,
            String cause,
            String path,
            List<Problem.FieldError> errors,
            Map<String, String> headers) {
        Problem problem;
        if (type.status() >= 500) {
            String errorId = UUID.randomUUID().toString();
            LOG.warnf("Error %s on %s: %s (%s)", errorId, path, detail, cause);
            problem = new Problem(
                    type.uri(),
                    type.title(),
                    type.status(),
                    detail + " (error id " + errorId + ")",
                    path,
                    null,
                    errorId);
        } else {
            problem = new Problem(type.uri(), type.title(), type.status(), detail, path, errors);
        }
        try {
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.put("Content-Type", Problem.MEDIA_TYPE);
            return new Rendered(type.status(), all, Buffer.buffer(json.writeValueAsBytes(problem)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serializable", e);
        }
    }
}
