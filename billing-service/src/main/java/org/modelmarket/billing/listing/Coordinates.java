package org.modelmarket.billing.listing;

/** The shape of listing namespaces and names, shared with catalog-service's rule. */
public final class Coordinates {

    /** Lower-case letters, digits, '-', '_' and '.', 1 to 64 characters, alphanumeric at both ends. */
    public static final String PATTERN = "^[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?$";

    /** The validation message for {@link #PATTERN}. */
    public static final String MESSAGE =
            "must be 1-64 lower-case letters, digits, '-', '_' or '.', " + "starting and ending with a letter or digit";

    private Coordinates() {}
}
