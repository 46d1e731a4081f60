package org.modelmarket.gateway.route;

import static org.modelmarket.gateway.route.Route.Access.ANYONE;
import static org.modelmarket.gateway.route.Route.Access.AUTHENTICATED;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The public endpoints the gateway passes through to catalog-service and search-service, and nothing else: a path
 * that is not in this table is a 404 at the edge, so the gateway never becomes an open proxy. Endpoints where the
 * gateway does more than forward (files, entitlements) have their own resources.
 */
public final class RouteTable {

    static final String CATALOG = "catalog";
    static final String SEARCH = "search";

    private static final String LISTING = "/api/v1/listings/{namespace}/{name}";

    /** Every pass-through route; the first match wins. */
    public static final List<Route> ROUTES = List.of(
            // Vendors
            new Route(
                    "POST",
                    "/api/v1/vendors",
                    CATALOG,
                    AUTHENTICATED,
                    "vendors",
                    "Create a vendor namespace (the caller becomes its first member)"),
            new Route(
                    "GET",
                    "/api/v1/vendors/{namespace}",
                    CATALOG,
                    ANYONE,
                    "vendors",
                    "Get a vendor profile (with ETag; members listed for members and admins)"),
            new Route(
                    "PUT",
                    "/api/v1/vendors/{namespace}",
                    CATALOG,
                    AUTHENTICATED,
                    "vendors",
                    "Replace a vendor profile (members; If-Match required)"),
            new Route(
                    "PUT",
                    "/api/v1/vendors/{namespace}/verification",
                    CATALOG,
                    AUTHENTICATED,
                    "vendors",
                    "Set whether a vendor is verified (admin)"),
            new Route(
                    "PUT",
                    "/api/v1/vendors/{namespace}/members/{subject}",
                    CATALOG,
                    AUTHENTICATED,
                    "vendors",
                    "Add a vendor member (members)"),
            new Route(
                    "DELETE",
                    "/api/v1/vendors/{namespace}/members/{subject}",
                    CATALOG,
                    AUTHENTICATED,
                    "vendors",
                    "Remove a vendor member (members)"),
            new Route(
                    "GET",
                    "/api/v1/vendors/{namespace}/listings",
                    CATALOG,
                    ANYONE,
                    "vendors",
                    "A vendor's listings (filtered by visibility)"),
            // Taxonomy
            new Route("GET", "/api/v1/taxonomy", CATALOG, ANYONE, "taxonomy", "Modalities and their tasks"),
            // Listings
            new Route(
                    "GET",
                    "/api/v1/listings",
                    CATALOG,
                    ANYONE,
                    "listings",
                    "List listings (admins: status=submitted is the review queue)"),
            new Route(
                    "POST",
                    "/api/v1/listings",
                    CATALOG,
                    AUTHENTICATED,
                    "listings",
                    "Create a listing (vendor members; the vendor role claims a new namespace)"),
            new Route(
                    "GET",
                    "/api/v1/listings/by-id/{listingId}",
                    CATALOG,
                    ANYONE,
                    "listings",
                    "Get a listing by its UUID"),
            new Route(
                    "GET", LISTING, CATALOG, ANYONE, "listings", "Get a listing (with ETag; If-None-Match gives 304)"),
            new Route(
                    "PUT",
                    LISTING,
                    CATALOG,
                    AUTHENTICATED,
                    "listings",
                    "Replace a listing's content (members; If-Match required: 428 without, 412 when stale)"),
            // Lifecycle
            new Route("POST", LISTING + "/submit", CATALOG, AUTHENTICATED, "lifecycle", "Submit for review (members)"),
            new Route(
                    "POST",
                    LISTING + "/withdraw",
                    CATALOG,
                    AUTHENTICATED,
                    "lifecycle",
                    "Withdraw a submission (members)"),
            new Route("POST", LISTING + "/approve", CATALOG, AUTHENTICATED, "lifecycle", "Approve and publish (admin)"),
            new Route("POST", LISTING + "/reject", CATALOG, AUTHENTICATED, "lifecycle", "Reject with a reason (admin)"),
            new Route(
                    "POST",
                    LISTING + "/deprecate",
                    CATALOG,
                    AUTHENTICATED,
                    "lifecycle",
                    "Deprecate, optionally naming a successor (members)"),
            new Route("POST", LISTING + "/archive", CATALOG, AUTHENTICATED, "lifecycle", "Archive (members or admin)"),
            new Route("GET", LISTING + "/history", CATALOG, ANYONE, "lifecycle", "Lifecycle history of a listing"),
            // Gated access
            new Route(
                    "POST",
                    LISTING + "/gate/acceptance",
                    CATALOG,
                    AUTHENTICATED,
                    "gated access",
                    "Accept a gated listing's terms"),
            new Route(
                    "GET",
                    LISTING + "/gate/acceptance",
                    CATALOG,
                    AUTHENTICATED,
                    "gated access",
                    "Whether the caller accepted the current terms"),
            new Route(
                    "GET",
                    LISTING + "/gate/acceptances",
                    CATALOG,
                    AUTHENTICATED,
                    "gated access",
                    "All acceptances of a listing (members, admin)"),
            // Versions
            new Route("GET", LISTING + "/versions", CATALOG, ANYONE, "versions", "List versions"),
            new Route(
                    "POST",
                    LISTING + "/versions",
                    CATALOG,
                    AUTHENTICATED,
                    "versions",
                    "Create a draft version (members)"),
            new Route(
                    "GET",
                    LISTING + "/versions/{version}",
                    CATALOG,
                    ANYONE,
                    "versions",
                    "Get a version, or the newest published one as 'latest'"),
            new Route(
                    "PUT",
                    LISTING + "/versions/{version}",
                    CATALOG,
                    AUTHENTICATED,
                    "versions",
                    "Edit a draft version (members)"),
            new Route(
                    "POST",
                    LISTING + "/versions/{version}/publish",
                    CATALOG,
                    AUTHENTICATED,
                    "versions",
                    "Publish a version, which makes it immutable (members)"),
            // Community
            new Route("GET", LISTING + "/likes", CATALOG, ANYONE, "community", "Likes of a listing"),
            new Route("PUT", LISTING + "/likes/me", CATALOG, AUTHENTICATED, "community", "Like a listing"),
            new Route("DELETE", LISTING + "/likes/me", CATALOG, AUTHENTICATED, "community", "Unlike a listing"),
            new Route("GET", LISTING + "/reviews", CATALOG, ANYONE, "community", "Reviews of a listing, with rating"),
            new Route(
                    "PUT",
                    LISTING + "/reviews/me",
                    CATALOG,
                    AUTHENTICATED,
                    "community",
                    "Post or edit the caller's review (users who downloaded or are entitled)"),
            new Route(
                    "PUT",
                    LISTING + "/reviews/{reviewId}/reply",
                    CATALOG,
                    AUTHENTICATED,
                    "community",
                    "Reply to a review (vendor members)"),
            // Search
            new Route(
                    "GET",
                    "/api/v1/search",
                    SEARCH,
                    ANYONE,
                    "search",
                    "Search listings: q, filters, facets, sort, page or cursor paging, highlights"),
            new Route("GET", "/api/v1/search/suggest", SEARCH, ANYONE, "search", "Prefix suggestions as one types"),
            new Route(
                    "GET",
                    "/api/v1/search/similar/{namespace}/{name}",
                    SEARCH,
                    ANYONE,
                    "search",
                    "Listings similar to a public listing"),
            new Route(
                    "POST",
                    "/api/v1/search/admin/rebuild",
                    SEARCH,
                    AUTHENTICATED,
                    "search admin",
                    "Rebuild the search index (admin)"),
            new Route(
                    "GET",
                    "/api/v1/search/admin/rebuild",
                    SEARCH,
                    AUTHENTICATED,
                    "search admin",
                    "Status of the running or last rebuild (admin)"));

    /** The routes with their compiled path patterns, in table order. */
    private static final Map<Route, Pattern> PATTERNS =
            ROUTES.stream().collect(Collectors.toMap(r -> r, Route::pattern, (a, b) -> a, LinkedHashMap::new));

    private RouteTable() {}

    /** What the table says about a request. */
    public sealed interface Lookup {
        /** The request's route. */
        record Found(Route route) implements Lookup {}

        /** The path is routed, but not for this method. */
        record WrongMethod(Set<String> allowed) implements Lookup {}

        /** The path is not routed at all. */
        record Unknown() implements Lookup {}
    }

    /** Finds the route of {@code method} on {@code rawPath}, the path as received (still percent-encoded). */
    public static Lookup lookup(String method, String rawPath) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Map.Entry<Route, Pattern> entry : PATTERNS.entrySet()) {
            Route route = entry.getKey();
            if (Route.matches(entry.getValue(), rawPath)) {
                if (route.method().equals(method)) {
                    return new Lookup.Found(route);
                }
                allowed.add(route.method());
            }
        }
        return allowed.isEmpty() ? new Lookup.Unknown() : new Lookup.WrongMethod(allowed);
    }
}
