package org.modelmarket.billing.subscription.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.entitlement.service.SubscriptionLookup;
import org.modelmarket.billing.subscription.EntitlementState;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Answers the entitlement decision from the entitlement state kept beside subscriptions. */
@ApplicationScoped
public class EntitlementLookup implements SubscriptionLookup {

    @Override
    @WithSession
    public Uni<Boolean> hasActiveSubscription(UUID listingId, String subject) {
        return EntitlementState.<EntitlementState>findById(new EntitlementState.Key(listingId, subject))
                .map(state -> state != null && "active".equals(state.status));
    }
}
