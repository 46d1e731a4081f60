package org.modelmarket.billing.entitlement.rest;

import org.modelmarket.billing.entitlement.Entitlement;
import org.modelmarket.billing.entitlement.EntitlementReason;

/** An entitlement decision as the API shows it. */
public record EntitlementView(String listing, String subject, boolean granted, EntitlementReason reason) {

    static EntitlementView of(Entitlement entitlement) {
        return new EntitlementView(
                entitlement.listing(), entitlement.subject(), entitlement.granted(), entitlement.reason());
    }
}
