package org.modelmarket.gateway.route.proxy;

/**
 * The caller closed its connection before the service answered, and the proxy gave up the service's call: the
 * service did nothing wrong, so the circuit breaker does not count it and it is not retried (nobody would read it).
 */
final class CallerGoneException extends RuntimeException {

    CallerGoneException(String service, Throwable cause) {
        super("the caller went away before " + service + " answered", cause, false, false);
    }
}
