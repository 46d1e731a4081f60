package org.modelmarket.billing.pricing.rest;

import java.time.Instant;
import java.util.UUID;

import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.service.PricingService.Priced;

/** A private offer as its buyer, the owning vendor and admins see it; {@code status} is open, accepted or expired. */
public record OfferView(
        UUID offerId,
        String listing,
        UUID listingId,
        String buyer,
        Instant expiresAt,
        Instant acceptedAt,
        String status,
        PricingTerms terms) {

    static OfferView of(Priced priced, Instant now) {
        var version = priced.version();
        String status =
                version.offerAcceptedAt != null ? "accepted" : version.offerExpiresAt.isAfter(now) ? "open" : "expired";
        return new OfferView(
                version.id,
                priced.listing().coordinates(),
                version.listingId,
                version.offerBuyer,
                version.offerExpiresAt,
                version.offerAcceptedAt,
                status,
                priced.terms());
    }
}
