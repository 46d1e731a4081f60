package org.modelmarket.platform.security;

import java.util.Set;

/** The product's realm roles (Keycloak realm {@code modelmarket}, claim {@code realm_access.roles}): one set for every service. */
public final class Roles {

    public static final String BUYER = "buyer";
    public static final String VENDOR = "vendor";
    public static final String ADMIN = "admin";

    /** Every role the product knows. */
    public static final Set<String> ALL = Set.of(BUYER, VENDOR, ADMIN);

    private Roles() {}
}
