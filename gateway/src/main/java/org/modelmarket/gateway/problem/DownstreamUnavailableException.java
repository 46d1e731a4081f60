package org.modelmarket.gateway.problem;

/**
 * A downstream service could not answer: unreachable, too slow, its circuit open, or it failed with a 5xx.
 * Reported to callers as 503 (or 502 for a downstream 5xx) and as gRPC UNAVAILABLE.
 */
public class DownstreamUnavailableException extends RuntimeException {

    private final String service;
    private final int downstreamStatus;

    /** The service did not answer at all. */
    public DownstreamUnavailableException(String service, Throwable cause) {
        super(service + " is unavailable: " + describe(cause), cause);
        this.service = service;
        this.downstreamStatus = 0;
    }

    /** The service answered with a server error. */
    public DownstreamUnavailableException(String service, int downstreamStatus) {
        super(service + " failed with status " + downstreamStatus);
        this.service = service;
        this.downstreamStatus = downstreamStatus;
    }

    public String service() {
        return service;
    }

    /** The downstream's 5xx status, or 0 when it did not answer. */
    public int downstreamStatus() {
        return downstreamStatus;
    }

    private static String describe(Throwable cause) {
        return cause == null ? "no answer" : cause.getClass().getSimpleName();
    }
}
