package org.modelmarket.catalog.listing.cache;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;

import io.smallrye.mutiny.Uni;

/**
 * The read of one listing by {@code namespace/name}: from {@link ListingViewCache} when anyone may see the listing
 * (then every caller gets the same view), else from the database with the caller's own rights. The cache is filled
 * by reading as an anonymous caller, so it can only ever hold what an anonymous caller may see.
 */
@ApplicationScoped
public class ListingReads {

    private final ListingService listings;
    private final ListingViewCache cache;

    public ListingReads(ListingService listings, ListingViewCache cache) {
        this.listings = listings;
        this.cache = cache;
    }

    /** The listing as {@code caller} may see it (404 otherwise), the same view {@link ListingService#get} gives. */
    public Uni<ListingView> get(String namespace, String name, Caller caller) {
        return cache.get(
                        namespace,
                        name,
                        () -> listings.get(namespace, name, Caller.ANONYMOUS)
                                .map(ListingViewCache.Entry::new)
                                // absent, or not for everyone's eyes: nothing shared to keep, each caller reads with
                                // its own rights
                                .onFailure(ListingReads::isNotFound)
                                .recoverWithItem(ListingViewCache.PER_CALLER))
                .chain(entry -> entry.view() != null
                        ? Uni.createFrom().item(entry.view())
                        : listings.get(namespace, name, caller));
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.type() == CatalogProblem.LISTING_NOT_FOUND;
    }
}
