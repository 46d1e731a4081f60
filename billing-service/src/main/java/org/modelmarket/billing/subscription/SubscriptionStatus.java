package org.modelmarket.billing.subscription;

import com.fasterxml.jackson.annotation.JsonValue;

/** A subscription's lifecycle state; the wire value is lower-case. */
public enum SubscriptionStatus {
    TRIAL,
    ACTIVE,
    PAST_DUE,
    CANCEL_PENDING,
    CANCELLED,
    EXPIRED;

    @JsonValue
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the buyer may use the listing now (the entitlement is {@code active}). */
    public boolean entitles() {
        return this == TRIAL || this == ACTIVE || this == CANCEL_PENDING;
    }

    /** Whether usage may still be metered against the subscription. */
    public boolean meterable() {
        return this != CANCELLED && this != EXPIRED;
    }

    public boolean terminal() {
        return this == CANCELLED || this == EXPIRED;
    }
}
