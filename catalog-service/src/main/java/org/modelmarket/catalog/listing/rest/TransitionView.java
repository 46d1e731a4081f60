package org.modelmarket.catalog.listing.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.ListingTransition;

/** One history entry. */
@Schema(name = "Transition")
public record TransitionView(
        String action, ListingStatus from, ListingStatus to, String actor, String reason, Instant at) {

    static TransitionView of(ListingTransition transition) {
        return new TransitionView(
                transition.action,
                transition.fromStatus,
                transition.toStatus,
                transition.actor,
                transition.reason,
                transition.at);
    }
}
