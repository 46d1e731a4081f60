package org.modelmarket.billing.entitlement;

/**
 * The answer to "may this subject use this listing?".
 *
 * @param listing the listing's {@code namespace/name}
 * @param subject the Keycloak subject asked about
 */
public record Entitlement(String listing, String subject, EntitlementReason reason) {

    public boolean granted() {
        return reason.granted();
    }
}
