package org.modelmarket.catalog.listing.cache;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;

import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.listing.ListingCriteria;
import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.repository.ListingRepository.Coordinates;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The read of one listing by {@code namespace/name}: from {@link ListingViewCache} when anyone may see the listing
 * (then every caller gets the same view, as bytes serialized once), else from the database with the caller's own
 * rights. The cache is filled by reading as an anonymous caller, so it can only ever hold what an anonymous caller may
 * see. Pages of listings are made of the same cached views.
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

    /**
     * One page of {@link ListingService#list} as its JSON body, the same bytes Jackson would write for it. A caller
     * who is not an admin sees only public, published or deprecated listings, whose views are the same for everyone:
     * the page is then one query for its coordinates and total, and each listing's cached view (a listing not cached
     * yet is loaded into the cache as a point read would). Admins get the page mapped from the database.
     */
    public Uni<byte[]> list(ListingCriteria filter, int page, int size, Caller caller) {
        if (caller.hasRole(Roles.ADMIN)) {
            return fromDatabase(filter, page, size, caller);
        }
        return listings.listPublic(filter, page, size)
                .chain(coordinates -> Multi.createFrom()
                        .iterable(coordinates.items())
                        // one after the other: a miss loads through a database session bound to this request's context
                        .onItem()
                        .transformToUniAndConcatenate(this::publicJson)
                        .collect()
                        .asList()
                        .map(items -> page(coordinates, items)))
                // a listing hidden between the page's query and its view (a race with a write): the database's page
                .onFailure(ListingReads::isNotFound)
                .recoverWithUni(() -> fromDatabase(filter, page, size, caller));
    }

    private Uni<byte[]> fromDatabase(ListingCriteria filter, int page, int size, Caller caller) {
        return listings.list(filter, page, size, caller).map(this::bytes);
    }

    /** The view anyone may see of a listing on a public page: cached bytes, or serialized from a fresh read. */
    private Uni<byte[]> publicJson(Coordinates listing) {
        return get(listing.namespace(), listing.name(), Caller.ANONYMOUS)
                .map(read -> read.json() != null ? read.json() : bytes(read.view()));
    }

    /** {@code {"total":…,"page":…,"size":…,"items":[…]}}: {@link PageResult} as Jackson writes it. */
    private static byte[] page(PageResult<?> page, List<byte[]> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                64 + items.stream().mapToInt(item -> item.length + 1).sum());
        out.writeBytes(("{\"total\":" + page.total() + ",\"page\":" + page.page() + ",\"size\":" + page.size()
                        + ",\"items\":[")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Strong ETag from the edit version: what If-Match is checked against. */
    public static EntityTag etag(ListingView view) {
        return new EntityTag(Long.toString(view.version()));
    }

    private ListingViewCache.Entry shared(ListingView view) {
        // the application's own ObjectMapper, the one Quarkus REST writes views with: the same JSON either way
        return new ListingViewCache.Entry(view, bytes(view), etag(view));
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.type() == CatalogProblem.LISTING_NOT_FOUND;
    }
}
