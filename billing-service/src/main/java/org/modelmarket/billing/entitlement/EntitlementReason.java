package org.modelmarket.billing.entitlement;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why access was granted or refused; the wire value is stable, clients may branch on it. */
public enum EntitlementReason {
    /** The listing is free: everyone is entitled. */
    FREE_LISTING("free-listing", true),
    /** The caller is a vendor owning the listing (as in artifact-service, owners download their own weights). */
    LISTING_OWNER("listing-owner", true),
    /** The caller is an admin, who may download any listing's weights. */
    ADMIN("admin", true),
    /** The caller holds an active subscription (or trial) to the listing. */
    ACTIVE_SUBSCRIPTION("active-subscription", true),
    /** The listing is paid or trial and the caller has no subscription. */
    SUBSCRIPTION_REQUIRED("subscription-required", false);

    private final String value;
    private final boolean granted;

    EntitlementReason(String value, boolean granted) {
        this.value = value;
        this.granted = granted;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Whether this reason grants access. */
    public boolean granted() {
        return granted;
    }
}
