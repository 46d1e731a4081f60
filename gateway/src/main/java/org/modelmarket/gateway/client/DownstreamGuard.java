package org.modelmarket.gateway.client;

import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.modelmarket.gateway.config.GatewayConfig;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;

/**
 * The retry and circuit breaker around calls to one downstream service, with the numbers of
 * {@code modelmarket.gateway.downstream.*}: shared by the pass-through proxy and {@link ServiceCalls}, which differ
 * only in the failure type they count, which of those may be retried, and what they do when the breaker changes.
 */
public final class DownstreamGuard {

    private DownstreamGuard() {}

    /**
     * A guard builder with the retry and the breaker set, for the caller to add to (a bulkhead) and build: a call
     * failing with {@code failure} counts against the breaker (anything else, such as a 4xx answer, a full queue or
     * the caller's deadline, is not the service failing) and is retried, up to {@code numbers.retries()} times after
     * {@code numbers.retryDelay()}, when {@code retryable} says so; {@code onStateChange} hears every breaker change.
     * The breaker is inside the retries: every attempt counts, and an open breaker is not retried.
     */
    public static <F extends Throwable> Guard.Builder builder(
            String description,
            GatewayConfig.Downstream numbers,
            Class<F> failure,
            Predicate<F> retryable,
            Consumer<CircuitBreakerState> onStateChange) {
        GatewayConfig.Breaker breaker = numbers.breaker();
        return Guard.create()
                .withDescription(description)
                .withRetry()
                .maxRetries(numbers.retries())
                .delay(numbers.retryDelay().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(0, ChronoUnit.MILLIS)
                .whenException(e -> failure.isInstance(e) && retryable.test(failure.cast(e)))
                .done()
                .withCircuitBreaker()
                .requestVolumeThreshold(breaker.window())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .failOn(failure)
                .onStateChange(onStateChange)
                .done()
                .withThreadOffload(false);
    }
}
