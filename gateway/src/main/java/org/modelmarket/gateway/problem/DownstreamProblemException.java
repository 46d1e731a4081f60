package org.modelmarket.gateway.problem;

/**
 * A 4xx answer of a downstream service, carried unchanged (status and body) back to the gateway's caller.
 *
 * <p>No stack trace: this is an expected outcome, not a bug, and it is thrown once per rejected call.
 */
public class DownstreamProblemException extends RuntimeException {

    private final String service;
    private final int status;
    private final String contentType;
    private final String body;

    public DownstreamProblemException(String service, int status, String contentType, String body) {
        super(service + " answered " + status, null, false, false);
        this.service = service;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    /** The downstream's configuration key, e.g. {@code catalog}. */
    public String service() {
        return service;
    }

    public int status() {
        return status;
    }

    /** The downstream's content type, {@code application/problem+json} when it follows the contract. */
    public String contentType() {
        return contentType;
    }

    /** The downstream's body as received, possibly empty. */
    public String body() {
        return body;
    }
}
