package org.modelmarket.billing.listing;

import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

/** Who may act for a listing: its owning vendor (an owner in the catalog's projection, with the vendor role) or an admin. */
public final class ListingAccess {

    private ListingAccess() {}

    /** Whether the caller is an admin or a vendor owning the listing. */
    public static boolean manages(Caller caller, Listing listing) {
        if (caller.isAnonymous()) {
            return false;
        }
        if (caller.isAdmin()) {
            return true;
        }
        return caller.hasRole(Roles.VENDOR) && (listing.ownedBy(caller.subject()) || caller.actsFor(listing.namespace));
    }

    /** 403 unless {@link #manages}. */
    public static void requireManager(Caller caller, Listing listing) {
        if (!manages(caller, listing)) {
            throw new ProblemException(
                    StandardProblem.FORBIDDEN,
                    "Only the vendor owning " + listing.coordinates() + " or an admin may do this.");
        }
    }

    /** 403 unless the caller has the buyer role (or is an admin). */
    public static void requireBuyer(Caller caller) {
        if (!caller.hasRole(Roles.BUYER) && !caller.isAdmin()) {
            throw new ProblemException(StandardProblem.FORBIDDEN, "Only buyers may do this.");
        }
    }
}
