package org.modelmarket.catalog.listing.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;

import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * The read of one listing by {@code namespace/name}: from {@link ListingViewCache} when anyone may see the listing
 * (then every caller gets the same view, as bytes serialized once), else from the database with the caller's own
 * rights. The cache is filled by reading as an anonymous caller, so it can only ever hold what an anonymous caller may
 * see.
 */
@ApplicationScoped
public class ListingReads {

    /**
     * A listing as read: {@code json} is set when it came from the cache (the same for every caller), else only
     * {@code view}, read with the caller's own rights.
     */
    public record Read(ListingView view, byte[] json, EntityTag etag) {}

    private final ListingService listings;
    private final ListingViewCache cache;
    private final ObjectMapper json;

    public ListingReads(ListingService listings, ListingViewCache cache, ObjectMapper json) {
        this.listings = listings;
        this.cache = cache;
        this.json = json;
    }

    /** The listing as {@code caller} may see it (404 otherwise), the same view {@link ListingService#get} gives. */
    public Uni<Read> get(String namespace, String name, Caller caller) {
        return cache.get(
                        namespace,
                        name,
                        () -> listings.get(namespace, name, Caller.ANONYMOUS)
                                .map(this::shared)
                                // absent, or not for everyone's eyes: nothing shared to keep, each caller reads with
                                // its own rights
                                .onFailure(ListingReads::isNotFound)
                                .recoverWithItem(ListingViewCache.PER_CALLER))
                .chain(entry -> entry.view() != null
                        ? Uni.createFrom().item(new Read(entry.view(), entry.json(), entry.etag()))
                        : listings.get(namespace, name, caller).map(view -> new Read(view, null, etag(view))));
    }

    /** Strong ETag from the edit version: what If-Match is checked against. */
    public static EntityTag etag(ListingView view) {
        return new EntityTag(Long.toString(view.version()));
    }

    private ListingViewCache.Entry shared(ListingView view) {
        try {
            // the application's own ObjectMapper, the one Quarkus REST writes views with: the same JSON either way
            return new ListingViewCache.Entry(view, json.writeValueAsBytes(view), etag(view));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the view of " + view.namespace() + "/" + view.name(), e);
        }
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.type() == CatalogProblem.LISTING_NOT_FOUND;
    }
}
