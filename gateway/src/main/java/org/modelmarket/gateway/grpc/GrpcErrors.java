package org.modelmarket.gateway.grpc;

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

    private GrpcErrors() {}

    static StatusRuntimeException invalidArgument(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
    }

    static Throwable toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException) {
            return failure;
        }
        if (failure instanceof DownstreamProblemException problem) {
            return statusFor(problem.status())
                    .withDescription(describe(problem))
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

    /** The status closest to a downstream HTTP 4xx. */
    static Status statusFor(int httpStatus) {
        return switch (httpStatus) {
            case 400, 422 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            // 402: a paid listing's weights without a subscription; the description says how to subscribe.
            case 402, 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.ALREADY_EXISTS;
            case 412, 428 -> Status.FAILED_PRECONDITION;
            case 413 -> Status.RESOURCE_EXHAUSTED; // a storage quota, or a body over the service's limit
            case 416 -> Status.OUT_OF_RANGE;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            default -> Status.INVALID_ARGUMENT;
        };
    }

    /** The downstream problem's detail (or title), plus its field errors, as one line for the status description. */
    private static String describe(DownstreamProblemException problem) {
        try {
            JsonNode body = JSON.readTree(problem.body());
            if (body != null && body.isObject()) {
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
        } catch (java.io.IOException | RuntimeException e) {
            // Not a problem document: fall back to the status line below.
        }
        return problem.getMessage();
    }
}
