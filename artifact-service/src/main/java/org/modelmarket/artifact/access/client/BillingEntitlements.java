package org.modelmarket.artifact.access.client;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * The fallback entitlement check: asks billing-service, with the caller's own token, whether the caller may use a
 * listing. Used only when the local projection has no row for the caller (an event not yet arrived), never on the
 * hot path. Fails closed: billing unreachable means "not granted".
 */
@ApplicationScoped
public class BillingEntitlements {

    private static final Logger LOG = Logger.getLogger(BillingEntitlements.class);

    private final BillingEntitlementsApi api;
    private final CurrentIdentityAssociation identities;

    public BillingEntitlements(@RestClient BillingEntitlementsApi api, CurrentIdentityAssociation identities) {
        this.api = api;
        this.identities = identities;
    }

    /** Whether billing grants the current request's caller the listing; {@code false} when billing cannot say. */
    public Uni<Boolean> granted(String namespace, String name) {
        return identities.getDeferredIdentity().chain(identity -> {
            TokenCredential token = identity.getCredential(TokenCredential.class);
            return token == null ? Uni.createFrom().item(false) : granted(namespace, name, token.getToken());
        });
    }

    /** Whether billing grants the token's subject the listing; {@code false} when billing cannot say. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "unknown")
    public Uni<Boolean> granted(String namespace, String name, String bearerToken) {
        return api.check(namespace, name, "Bearer " + bearerToken).map(answer -> answer.granted());
    }

    Uni<Boolean> unknown(String namespace, String name, String bearerToken, Throwable failure) {
        LOG.warnf("Entitlement fallback for %s/%s failed (%s); refusing", namespace, name, failure.toString());
        return Uni.createFrom().item(false);
    }
}
