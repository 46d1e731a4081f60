package org.modelmarket.billing.entitlement.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/** Stand-in until subscriptions exist: nobody is subscribed, so paid and trial listings are refused. */
@DefaultBean
@ApplicationScoped
public class NoSubscriptions implements SubscriptionLookup {

    @Override
    public Uni<Boolean> hasActiveSubscription(UUID listingId, String subject) {
        return Uni.createFrom().item(false);
    }
}
