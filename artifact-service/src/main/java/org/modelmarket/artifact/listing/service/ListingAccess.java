package org.modelmarket.artifact.listing.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.ListingNotFoundException;
import org.modelmarket.artifact.listing.NotListingOwnerException;
import org.modelmarket.artifact.listing.Visibility;
import org.modelmarket.platform.security.Caller;

import io.smallrye.mutiny.Uni;

/**
 * Who may read or write a listing's files. Reads: public and unlisted listings are open to everyone, private ones to
 * their owners and admins, and are reported as not found to anyone else. Writes: vendors among the owners, and admins.
 * Entitlement checks for paid listings will join the read rule once the entitlement projection exists.
 */
@ApplicationScoped
public class ListingAccess {

    private final ListingProjectionService listings;

    public ListingAccess(ListingProjectionService listings) {
        this.listings = listings;
    }

    /** The listing if {@code caller} may read its files; fails with 404 otherwise. */
    public Uni<Listing> readable(String namespace, String name, Caller caller) {
        return existing(namespace, name).invoke(listing -> {
            if (listing.visibility == Visibility.PRIVATE && !isOwnerOrAdmin(listing, caller)) {
                throw new ListingNotFoundException(namespace, name);
            }
        });
    }

    /** The listing if {@code caller} may change its files; fails with 404 or 403 otherwise. */
    public Uni<Listing> writable(String namespace, String name, Caller caller) {
        return readable(namespace, name, caller).invoke(listing -> {
            if (!isOwnerOrAdmin(listing, caller)) {
                throw new NotListingOwnerException(listing.coordinates());
            }
        });
    }

    private Uni<Listing> existing(String namespace, String name) {
        return listings.find(namespace, name)
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(namespace, name));
    }

    private static boolean isOwnerOrAdmin(Listing listing, Caller caller) {
        return caller.isAdmin() || !caller.isAnonymous() && listing.isOwnedBy(caller.subject());
    }
}
