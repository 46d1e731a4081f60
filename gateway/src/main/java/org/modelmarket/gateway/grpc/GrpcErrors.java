package org.modelmarket.gateway.grpc;

import java.util.Map;

import org.jboss.logging.Logger;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** The gRPC counterpart of the problem mappers: turns the gateway's failures into gRPC statuses. */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The product's one problem type-URI scheme; a type's last segment is its slug. */
    private static final String PROBLEM_TYPES = "https://modelmarket.org/problems/";

    /**
     * What a downstream 409 means, by its problem type's slug, as the gRPC status code guide draws the line:
     * {@code ALREADY_EXISTS} only when what the call would create exists already; {@code ABORTED} when a concurrent
     * change won (the client retries its read-modify-write); {@code FAILED_PRECONDITION} when the resource's state does
     * not allow the call (retrying will not help until that state changes). A 409 of a type not listed here is a
     * conflict with the resource's state, {@code FAILED_PRECONDITION}. {@code GrpcErrorsTest} checks that every 409
     * type the services declare is listed.
     */
    static final Map<String, Status.Code> CONFLICTS = Map.ofEntries(
            // billing
            Map.entry("already-subscribed", Status.Code.ALREADY_EXISTS),
            Map.entry("listing-is-free", Status.Code.FAILED_PRECONDITION),
            Map.entry("transition-not-allowed", Status.Code.FAILED_PRECONDITION),
            Map.entry("offer-unavailable", Status.Code.FAILED_PRECONDITION),
            Map.entry("invoice-state", Status.Code.FAILED_PRECONDITION),
            // catalog (and the platform's standard types)
            Map.entry("listing-exists", Status.Code.ALREADY_EXISTS),
            Map.entry("vendor-exists", Status.Code.ALREADY_EXISTS),
            Map.entry("version-exists", Status.Code.ALREADY_EXISTS),
            Map.entry("concurrent-modification", Status.Code.ABORTED),
            Map.entry("invalid-transition", Status.Code.FAILED_PRECONDITION),
            Map.entry("immutable", Status.Code.FAILED_PRECONDITION),
            Map.entry("conflict", Status.Code.FAILED_PRECONDITION),
            // artifact
            Map.entry("parent-mismatch", Status.Code.ABORTED),
            Map.entry("path-conflict", Status.Code.FAILED_PRECONDITION),
            Map.entry("upload-incomplete", Status.Code.FAILED_PRECONDITION),
            // search
            Map.entry("rebuild-in-progress", Status.Code.FAILED_PRECONDITION));

    private GrpcErrors() {}

    static StatusRuntimeException invalidArgument(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
    }

    static Throwable toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException) {
            return failure;
        }
        if (failure instanceof DownstreamProblemException problem) {
            JsonNode body = body(problem);
            return statusFor(
                            problem.status(),
                            body == null ? "" : body.path("type").asText(""))
                    .withDescription(describe(problem, body))
                    .asRuntimeException();
        }
        if (failure instanceof DownstreamUnavailableException unavailable) {
            LOG.warn(unavailable.getMessage());
            return Status.UNAVAILABLE
                    .withDescription("The " + unavailable.service() + " service is unavailable; try again later.")
                    .asRuntimeException();
        }
        if (failure instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof UnauthorizedException || failure instanceof AuthenticationException) {
            return Status.UNAUTHENTICATED
                    .withDescription("A valid bearer token is required.")
                    .asRuntimeException();
        }
        if (failure instanceof ForbiddenException || failure instanceof SecurityException) {
            return Status.PERMISSION_DENIED
                    .withDescription("The caller may not perform this operation.")
                    .asRuntimeException();
        }
        LOG.error("Unexpected gRPC failure", failure);
        return Status.INTERNAL
                .withDescription("The gateway failed to handle the call.")
                .asRuntimeException();
    }

    /** The status closest to a downstream HTTP 4xx whose problem type is unknown. */
    static Status statusFor(int httpStatus) {
        return statusFor(httpStatus, "");
    }

    /** The status closest to a downstream HTTP 4xx of problem type {@code type} (a 409 maps by {@link #CONFLICTS}). */
    static Status statusFor(int httpStatus, String type) {
        return switch (httpStatus) {
            case 400, 422 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            // 402: a paid listing's weights without a subscription; the description says how to subscribe.
            case 402, 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 ->
                Status.fromCode(CONFLICTS.getOrDefault(
                        type.startsWith(PROBLEM_TYPES) ? type.substring(PROBLEM_TYPES.length()) : "",
                        Status.Code.FAILED_PRECONDITION));
            case 412, 428 -> Status.FAILED_PRECONDITION;
            case 413 -> Status.RESOURCE_EXHAUSTED; // a storage quota, or a body over the service's limit
            case 416 -> Status.OUT_OF_RANGE;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            default -> Status.INVALID_ARGUMENT;
        };
    }

    /** The downstream's problem document, or null when its body is not a JSON object. */
    private static JsonNode body(DownstreamProblemException problem) {
        try {
            JsonNode body = JSON.readTree(problem.body());
            return body != null && body.isObject() ? body : null;
        } catch (java.io.IOException | RuntimeException e) {
            // Not a problem document: the caller falls back to the status alone.
            return null;
        }
    }

    /** The downstream problem's detail (or title), plus its field errors, as one line for the status description. */
    private static String describe(DownstreamProblemException problem, JsonNode body) {
        if (body == null) {
            return problem.getMessage();
        }
        String text = body.hasNonNull("detail")
                ? body.get("detail").asText()
                : body.path("title").asText(problem.getMessage());
        StringBuilder description = new StringBuilder(text);
        for (JsonNode error : body.path("errors")) {
            description
                    .append("; ")
                    .append(error.path("field").asText())
                    .append(": ")
                    .append(error.path("message").asText());
        }
        return description.toString();
    }
}
