package org.modelmarket.gateway.entitlement.client;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.entitlement.Entitlement;
import org.modelmarket.gateway.problem.DownstreamProblemException;

import io.smallrye.mutiny.Uni;

/** The gateway's access to billing-service entitlements, with the timeout, retries and circuit breaker of that call. */
@ApplicationScoped
public class EntitlementClient {

    private final BillingApi billing;

    EntitlementClient(@RestClient BillingApi billing) {
        this.billing = billing;
    }

    /** The caller's entitlement to the listing {@code namespace/name}; billing identifies the caller by the token. */
    public Uni<Entitlement> get(String namespace, String name) {
        return guardedGet(namespace, name).onFailure().transform(f -> Downstream.translate(BillingApi.SERVICE, f));
    }

    // Package-private so the interceptors apply (ArC intercepts self-invocation) and the public method can
    // translate their failures too.
    @Timeout
    @Retry(abortOn = DownstreamProblemException.class)
    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<Entitlement> guardedGet(String namespace, String name) {
        return billing.get(namespace, name);
    }
}
