package org.modelmarket.billing.pricing.rest;

import java.time.Instant;
import java.util.UUID;

import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.service.PricingService.Priced;

/** A public pricing version as the API shows it. */
public record PricingView(
        UUID pricingId, String listing, UUID listingId, int version, Instant effectiveFrom, PricingTerms terms) {

    static PricingView of(Priced priced) {
        return new PricingView(
                priced.version().id,
                priced.listing().coordinates(),
                priced.listing().id,
                priced.version().version,
                priced.version().effectiveFrom,
                priced.terms());
    }
}
