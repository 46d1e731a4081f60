package org.modelmarket.gateway.entitlement;

/**
 * Whether a subject may use a listing, as billing-service decides it.
 *
 * @param listing the listing's {@code namespace/name}
 * @param subject the caller's subject
 * @param reason  why, e.g. {@code free-listing} or {@code subscription-required}
 */
public record Entitlement(String listing, String subject, boolean granted, String reason) {}
