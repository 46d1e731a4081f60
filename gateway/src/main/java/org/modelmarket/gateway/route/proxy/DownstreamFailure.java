package org.modelmarket.gateway.route.proxy;

/**
 * A downstream call that failed in a way that says the service is down or failing: no connection, a reset, no
 * response headers in time, or a 5xx. The only failure the circuit breaker counts; waiting for a free slot
 * (saturation) and the caller's own errors (4xx) are not failures.
 */
final class DownstreamFailure extends RuntimeException {

    /** How the call failed. */
    enum Kind {
        /** No connection could be opened: nothing was sent, so any method may be retried. */
        CONNECT,
        /** The connection broke before the response headers. */
        RESET,
        /** No response headers within the response timeout. */
        TIMEOUT,
        /** The service answered 5xx. */
        STATUS
    }

    private final Kind kind;
    private final int status;
    private final boolean retryable;

    DownstreamFailure(Kind kind, int status, boolean idempotent, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.status = status;
        // A request that never left may always be sent again; one that may have reached the service only when
        // repeating it is harmless (GET, HEAD), and a 5xx only when it says "try again" (502, 503, 504). A timeout
        // is not retried: a service that gave no answer in the whole response timeout is hung or overloaded, and
        // asking it again would triple the caller's wait (30 s on a hung catalog) and add load where there is too much.
        this.retryable = kind == Kind.CONNECT
                || (idempotent
                        && (kind == Kind.RESET
                                || (kind == Kind.STATUS && (status == 502 || status == 503 || status == 504))));
    }

    Kind kind() {
        return kind;
    }

    /** The service's 5xx status, 0 when it did not answer. */
    int status() {
        return status;
    }

    boolean retryable() {
        return retryable;
    }
}
