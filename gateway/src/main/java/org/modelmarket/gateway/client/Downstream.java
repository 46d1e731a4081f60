package org.modelmarket.gateway.client;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import io.quarkus.security.AuthenticationException;

/** Translates what a downstream service answered, or failed to answer, into the gateway's two downstream failures. */
public final class Downstream {

    private Downstream() {}

    /**
     * For the REST clients' {@code @ClientExceptionMapper}: a 4xx becomes a pass-through problem, a 5xx an
     * unavailable service; anything else is not an error.
     */
    public static RuntimeException fromResponse(String service, Response response) {
        int status = response.getStatus();
        if (status >= 500) {
            return new DownstreamUnavailableException(service, status);
        }
        if (status >= 400) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            return new DownstreamProblemException(
                    service, status, response.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
        }
        return null;
    }

    /**
     * For a client bean's result: downstream problems and the caller's own authentication failures pass as they are;
     * every other failure (connection refused, timeout, open circuit, unreadable answer) means the service is
     * unavailable.
     */
    public static Throwable translate(String service, Throwable failure) {
        // The REST client may wrap what its providers threw (the header factory, the exception mapper).
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DownstreamProblemException
                    || cause instanceof DownstreamUnavailableException
                    || cause instanceof AuthenticationException
                    // The caller's own bad input or refusal, found while streaming its request (a gRPC upload
                    // without its header, or to a listing its API token may not write).
                    || cause instanceof IllegalArgumentException
                    || cause instanceof io.grpc.StatusRuntimeException) {
                return cause;
            }
        }
        return new DownstreamUnavailableException(service, failure);
    }
}
