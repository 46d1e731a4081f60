package org.modelmarket.gateway.token;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. Every token may read what its owner may read; the other scopes add one kind of action
 * each (README "API tokens" has the route rule).
 */
public enum Scope {
    /** Metadata reads: listings, versions, trees, search, entitlements, the Hub's model info and whoami. */
    READ,
    /** File bytes: {@code .../files/{path}}, the Hub's {@code resolve}/{@code raw}, gRPC {@code DownloadFile}. */
    DOWNLOAD,
    /** Writes to the owner's vendors, listings, versions, files, pricing, community and billing actions. */
    PUBLISH,
    /** Usage reports: writes under {@code /api/v1/metering}. */
    METER,
    /**
     * Admin-only actions (approve, reject, verification, search rebuild); only for owners with the admin role. It
     * implies {@link #PUBLISH}: an admin's token for admin work does the ordinary writes around it too (archive,
     * deprecate, a version, a listing) without a second scope. It does not imply {@link #DOWNLOAD} or
     * {@link #METER}: fetching weights and reporting usage stay separate grants.
     */
    ADMIN;

    /** Whether holding this scope grants {@code needed}: itself, and {@code admin} also {@code publish}. */
    public boolean implies(Scope needed) {
        return this == needed || (this == ADMIN && needed == PUBLISH);
    }

    /** The name on the wire, lower case. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String wire) {
        for (Scope scope : values()) {
            if (scope.wire().equals(wire)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
