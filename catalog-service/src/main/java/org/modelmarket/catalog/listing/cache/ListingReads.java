package org.modelmarket.catalog.listing.cache;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

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
 * (then every caller who is neither the vendor's member nor an admin gets the same view, as bytes serialized once),
 * else from the database with the caller's own rights. The cache is filled by reading as an anonymous caller, so it
 * can only ever hold what an anonymous caller may see (plus the listing's {@code owners}, which only its members and
 * admins are shown). Pages of listings, across vendors and of one vendor, are made of the same cached views.
 *
 * <p>A listing's ETag is {@code "<edit version>-<digest of the JSON>"}: {@code If-Match} compares the edit version
 * (see {@link org.modelmarket.catalog.common.Preconditions}), {@code If-None-Match} the whole representation, so a
 * change of stats, vendor or owners that leaves the edit version alone still answers 200 with the new body, never a
 * stale 304.
 */
@ApplicationScoped
public class ListingReads {

    /** A listing as a response body, with its ETag. */
    public record Read(byte[] json, EntityTag etag) {}

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
                        () -> listings.getSeenByEveryone(namespace, name)
                                .map(this::shared)
                                // absent, or not for everyone's eyes: nothing shared to keep, each caller reads with
                                // its own rights
                                .onFailure(ListingReads::isNotFound)
                                .recoverWithItem(ListingViewCache.PER_CALLER))
                .chain(entry -> {
                    if (entry.view() == null) {
                        return listings.get(namespace, name, caller).map(this::represent);
                    }
                    // the vendor's members and admins are shown the owners: their own serialization of the full view
                    return Uni.createFrom()
                            .item(
                                    entry.view().showsOwnersTo(caller)
                                            ? represent(entry.view())
                                            : new Read(entry.json(), entry.etag()));
                });
    }

    /**
     * One page of {@link ListingService#list} as its JSON body, the same bytes Jackson would write for it. A caller
     * who is not an admin sees only public, published or deprecated listings, whose views are the same for everyone
     * (but the owners, shown to the vendor's members): the page is then one query for its coordinates and total, and
     * each listing's cached view (a listing not cached yet is loaded into the cache as a point read would). Admins get
     * the page mapped from the database.
     */
    public Uni<byte[]> list(ListingCriteria filter, int page, int size, Caller caller) {
        if (caller.hasRole(Roles.ADMIN)) {
            return bytes(listings.list(filter, page, size, caller));
        }
        return listings.listPublic(filter, page, size)
                .chain(coordinates -> cachedPage(coordinates, caller))
                // a listing hidden between the page's query and its view (a race with a write): the database's page
                .onFailure(ListingReads::isNotFound)
                .recoverWithUni(() -> bytes(listings.list(filter, page, size, caller)));
    }

    /**
     * One page of {@link ListingService#listForVendor} (vendor {@code namespace}, which {@code filter} names too) as
     * its JSON body. The vendor's members and admins, who also see its drafts and private listings, get the page
     * mapped from the database; everyone else the public listings, made of the cached views as {@link #list} makes
     * them. An anonymous caller costs no vendor lookup unless the page is empty (a listing's vendor exists: foreign
     * key), where it tells an empty page from an absent vendor (404).
     */
    public Uni<byte[]> listForVendor(String namespace, ListingCriteria filter, int page, int size, Caller caller) {
        Supplier<Uni<byte[]>> fromDatabase = () -> bytes(listings.listForVendor(namespace, filter, page, size, caller));
        Uni<Boolean> seesAll =
                caller.isAnonymous() ? Uni.createFrom().item(false) : listings.seesAllOf(namespace, caller);
        return seesAll.chain(all -> all
                ? fromDatabase.get()
                : listings.listPublic(filter, page, size)
                        .call(coordinates -> coordinates.total() > 0 || !caller.isAnonymous()
                                ? Uni.createFrom().voidItem()
                                : listings.vendorExists(namespace).invoke(exists -> {
                                    if (!exists) {
                                        throw ListingService.vendorNotFound(namespace);
                                    }
                                }))
                        .chain(coordinates -> cachedPage(coordinates, caller))
                        .onFailure(ListingReads::isNotFound)
                        .recoverWithUni(fromDatabase::get));
    }

    /** The page whose listings are {@code coordinates}, each the view {@code caller} gets by {@link #get}. */
    private Uni<byte[]> cachedPage(PageResult<Coordinates> coordinates, Caller caller) {
        return Multi.createFrom()
                .iterable(coordinates.items())
                // one after the other: a miss loads through a database session bound to this request's context
                .onItem()
                .transformToUniAndConcatenate(listing ->
                        get(listing.namespace(), listing.name(), caller).map(Read::json))
                .collect()
                .asList()
                .map(items -> page(coordinates, items));
    }

    private Uni<byte[]> bytes(Uni<PageResult<ListingView>> page) {
        return page.map(this::bytes);
    }

    /** {@code view} as a response body and its ETag. */
    public Read represent(ListingView view) {
        byte[] body = bytes(view);
        return new Read(body, etag(view.version(), body));
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

    /**
     * Strong ETag {@code "<edit version>-<digest>"}: the edit version is what {@code If-Match} is checked against, the
     * first 64 bits of the JSON body's SHA-256 make it change with anything else the body shows (stats, vendor).
     */
    public static EntityTag etag(long version, byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new EntityTag(version + "-" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private ListingViewCache.Entry shared(ListingView view) {
        // the application's own ObjectMapper, the one Quarkus REST writes views with: the same JSON either way
        Read everyone = represent(view.withoutOwners());
        return new ListingViewCache.Entry(view, everyone.json(), everyone.etag());
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.type() == CatalogProblem.LISTING_NOT_FOUND;
    }
}
