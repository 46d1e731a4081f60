package org.modelmarket.catalog.common;

/** The Keycloak realm roles (realm_access.roles) the catalog distinguishes. */
public final class Roles {

    public static final String BUYER = "buyer";
    public static final String VENDOR = "vendor";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
