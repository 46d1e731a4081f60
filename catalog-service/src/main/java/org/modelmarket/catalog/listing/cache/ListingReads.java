package org.modelmarket.catalog.listing.cache;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.listing.ListingCriteria;
import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The read of one listing by {@code namespace/name}: from {@link ListingViewCache} when anyone may see the listing
 * (then every caller gets the same view), else from the database with the caller's own rights. The cache is filled
 * by reading as an anonymous caller, so it can only ever hold what an anonymous caller may see. Pages of listings
 * shown to callers who are not admins (public listings only) are made of the same cached views.
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
        return cached(namespace, name)
                .chain(entry -> entry.view() != null
                        ? Uni.createFrom().item(entry.view())
                        : listings.get(namespace, name, caller));
    }

    /**
     * The page {@link ListingService#list} gives {@code caller}. For callers who are not admins it holds public
     * listings only, which are cached: one query for the page's coordinates (and one for the total), then each view
     * from the cache, instead of loading and mapping every listing, vendor and stats row.
     */
    public Uni<PageResult<ListingView>> list(ListingCriteria criteria, int page, int size, Caller caller) {
        if (caller.hasRole(Roles.ADMIN)) {
            return listings.list(criteria, page, size, caller);
        }
        return listings.listPublic(criteria, page, size)
                .chain(coordinates -> Multi.createFrom()
                        .iterable(coordinates.items())
                        // one after the other: a miss loads through a reactive session, which must not be shared
                        // concurrently
                        .onItem()
                        .transformToUniAndConcatenate(listing -> cached(listing.namespace(), listing.name()))
                        .collect()
                        .asList()
                        .chain(entries -> {
                            List<ListingView> views = entries.stream()
                                    .map(ListingViewCache.Entry::view)
                                    .toList();
                            // a listing of the page changed (no longer public) between the two reads: read it as before
                            return views.contains(null)
                                    ? listings.list(criteria, page, size, caller)
                                    : Uni.createFrom().item(new PageResult<>(coordinates.total(), page, size, views));
                        }));
    }

    private Uni<ListingViewCache.Entry> cached(String namespace, String name) {
        return cache.get(
                namespace,
                name,
                () -> listings.get(namespace, name, Caller.ANONYMOUS)
                        .map(ListingViewCache.Entry::new)
                        // absent, or not for everyone's eyes: nothing shared to keep, each caller reads with
                        // its own rights
                        .onFailure(ListingReads::isNotFound)
                        .recoverWithItem(ListingViewCache.PER_CALLER));
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.type() == CatalogProblem.LISTING_NOT_FOUND;
    }
}
