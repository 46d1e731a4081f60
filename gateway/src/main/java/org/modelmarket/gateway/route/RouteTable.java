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
import java.util.stream.Stream;

/**
 * The public endpoints the gateway passes through to the services, and nothing else: a path that is not in this
 * table is a 404 at the edge, so the gateway never becomes an open proxy. Catalog and search endpoints are listed one
 * by one; artifact-service and billing-service endpoints by their prefixes (a {@code {rest}} tail), so that new
 * endpoints under those prefixes work through the gateway without a change here. A {@code GET} route also serves
 * {@code HEAD}.
 */
public final class RouteTable {

    static final String CATALOG = "catalog";
    static final String SEARCH = "search";
    static final String ARTIFACT = "artifact";
    static final String BILLING = "billing";

    private static final String LISTING = "/api/v1/listings/{namespace}/{name}";

    /** The routes listed one by one. */
    private static final List<Route> LISTED = List.of(
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
                    "/api/v1/vendors",
                    CATALOG,
                    AUTHENTICATED,
                    "vendors",
                    "The vendors a member belongs to (member=me: the caller's own; another subject: admins)"),
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
            // Gated access (terms/acceptance is the name artifact-service's refusals and the Hub API's GatedRepo
            // messages give; gate/acceptance its older name)
            new Route(
                    "POST",
                    LISTING + "/terms/acceptance",
                    CATALOG,
                    AUTHENTICATED,
                    "gated access",
                    "Accept a gated listing's terms"),
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
                    "Status of the running or last rebuild (admin)"),
            // Files (artifact-service): reads are public at the edge (artifact-service decides entitlement and
            // visibility), writes need a token.
            new Route("GET", LISTING + "/files", ARTIFACT, ANYONE, "files", "List the files of a listing"),
            new Route(
                    "GET",
                    LISTING + "/files/{path}",
                    ARTIFACT,
                    ANYONE,
                    "files",
                    "Download a file (Range, If-None-Match; ?revision=)"),
            new Route("PUT", LISTING + "/files/{path}", ARTIFACT, AUTHENTICATED, "files", "Upload one file"),
            new Route("DELETE", LISTING + "/files/{path}", ARTIFACT, AUTHENTICATED, "files", "Delete a file"),
            new Route("GET", LISTING + "/tree/{rest}", ARTIFACT, ANYONE, "files", "File tree of a revision [and path]"),
            new Route("GET", LISTING + "/commits", ARTIFACT, ANYONE, "files", "Commit history"),
            new Route("POST", LISTING + "/commits", ARTIFACT, AUTHENTICATED, "files", "Create an atomic commit"),
            new Route("GET", LISTING + "/commits/{rest}", ARTIFACT, ANYONE, "files", "One commit"),
            new Route("GET", LISTING + "/paths-info/{rest}", ARTIFACT, ANYONE, "files", "Information on some paths"),
            new Route(
                    "GET", LISTING + "/file-access", ARTIFACT, ANYONE, "files", "Which files stay open before buying"),
            new Route(
                    "GET",
                    LISTING + "/access",
                    ARTIFACT,
                    ANYONE,
                    "files",
                    "Whether the caller may download the listing's weights"),
            new Route(
                    "PUT",
                    LISTING + "/file-access",
                    ARTIFACT,
                    AUTHENTICATED,
                    "files",
                    "Set the listing's open files (owners, admin)"),
            new Route(
                    "DELETE",
                    LISTING + "/file-access",
                    ARTIFACT,
                    AUTHENTICATED,
                    "files",
                    "Return to the default open files (owners, admin)"),
            new Route("POST", LISTING + "/uploads", ARTIFACT, AUTHENTICATED, "uploads", "Start a multipart upload"),
            new Route("GET", LISTING + "/uploads/{rest}", ARTIFACT, AUTHENTICATED, "uploads", "Uploaded parts"),
            new Route("PUT", LISTING + "/uploads/{rest}", ARTIFACT, AUTHENTICATED, "uploads", "Upload a part"),
            new Route("POST", LISTING + "/uploads/{rest}", ARTIFACT, AUTHENTICATED, "uploads", "Complete an upload"),
            new Route("DELETE", LISTING + "/uploads/{rest}", ARTIFACT, AUTHENTICATED, "uploads", "Abort an upload"),
            new Route(
                    "GET",
                    "/api/v1/signed/{rest}",
                    ARTIFACT,
                    ANYONE,
                    "files",
                    "Download by a short-lived signed URL (self-authorizing)"),
            // Billing (billing-service), by prefix
            new Route(
                    "GET",
                    "/api/v1/entitlements",
                    BILLING,
                    AUTHENTICATED,
                    "billing",
                    "GetEntitlements: the entitlements the caller may see (listing, customer, dimension, paging)"),
            new Route(
                    "GET",
                    "/api/v1/entitlements/{namespace}/{name}",
                    BILLING,
                    AUTHENTICATED,
                    "billing",
                    "The caller's entitlement to a listing"),
            new Route(
                    "GET",
                    "/api/v1/entitlements/{rest}",
                    BILLING,
                    AUTHENTICATED,
                    "billing",
                    "The caller's entitlements (e.g. /{namespace}/{name})"),
            new Route("POST", "/api/v1/entitlements/{rest}", BILLING, AUTHENTICATED, "billing", "Entitlement actions"),
            new Route("GET", LISTING + "/pricing", BILLING, ANYONE, "billing", "Pricing plans of a listing"),
            new Route("GET", LISTING + "/pricing/{rest}", BILLING, ANYONE, "billing", "Pricing plans of a listing"),
            new Route("PUT", LISTING + "/pricing", BILLING, AUTHENTICATED, "billing", "Set pricing (vendor)"),
            new Route("POST", LISTING + "/pricing", BILLING, AUTHENTICATED, "billing", "Set pricing (vendor)"),
            new Route(
                    "POST", LISTING + "/pricing/{rest}", BILLING, AUTHENTICATED, "billing", "Pricing actions (vendor)"),
            new Route(
                    "PUT", LISTING + "/pricing/{rest}", BILLING, AUTHENTICATED, "billing", "Pricing changes (vendor)"),
            new Route(
                    "DELETE",
                    LISTING + "/pricing/{rest}",
                    BILLING,
                    AUTHENTICATED,
                    "billing",
                    "Pricing removal (vendor)"),
            new Route(
                    "GET",
                    "/.well-known/modelmarket-receipt-keys",
                    BILLING,
                    ANYONE,
                    "billing",
                    "Public keys of signed receipts"));

    /** The billing families routed by prefix with every method (callers need a token for all of them). */
    private static final List<String> BILLING_FAMILIES = List.of(
            "/api/v1/offers",
            "/api/v1/subscriptions",
            "/api/v1/metering",
            "/api/v1/receipts",
            "/api/v1/invoices",
            "/api/v1/statements");

    /** Every pass-through route; the first match wins. */
    public static final List<Route> ROUTES = Stream.concat(
                    LISTED.stream(),
                    BILLING_FAMILIES.stream()
                            .flatMap(prefix -> Stream.of("GET", "POST", "PUT", "PATCH", "DELETE")
                                    .flatMap(method -> Stream.of(
                                            new Route(
                                                    method,
                                                    prefix,
                                                    BILLING,
                                                    AUTHENTICATED,
                                                    "billing",
                                                    method + " " + prefix + " (billing-service)"),
                                            new Route(
                                                    method,
                                                    prefix + "/{rest}",
                                                    BILLING,
                                                    AUTHENTICATED,
                                                    "billing",
                                                    method + " " + prefix + "/... (billing-service)")))))
            .toList();

    /** The routes with their compiled path patterns, in table order. */
    private static final Map<Route, Pattern> PATTERNS =
            ROUTES.stream().collect(Collectors.toMap(r -> r, Route::pattern, (a, b) -> a, LinkedHashMap::new));

    /**
     * The table as the lookup walks it, in table order: each route with the literal start of its template (up to the
     * first variable), its number of path segments (a tail variable: at least that many), its pattern and its one
     * {@link Lookup.Found}. A path is matched against a route's regex only when its start and its segment count fit:
     * of the 100-odd routes, a request's path passes these two tests for a handful, so a lookup (once or twice per
     * proxied request) no longer runs every regex of the table (it did, about 5 % of the gateway's CPU per request).
     */
    private static final List<Candidate> CANDIDATES = PATTERNS.entrySet().stream()
            .map(e -> {
                String template = e.getKey().template();
                boolean tail = Route.TAILS.stream().anyMatch(name -> template.endsWith("{" + name + "}"));
                return new Candidate(
                        e.getKey(),
                        literalStart(template),
                        segments(template),
                        tail,
                        e.getValue(),
                        new Lookup.Found(e.getKey()));
            })
            .toList();

    private static final Lookup.Unknown UNKNOWN = new Lookup.Unknown();

    private record Candidate(
            Route route, String literal, int segments, boolean tail, Pattern pattern, Lookup.Found found) {

        /** Whether a path with this start and {@code segments} segments may be an instance of the route. */
        boolean mayMatch(String rawPath, int pathSegments) {
            return (tail ? pathSegments >= segments : pathSegments == segments) && rawPath.startsWith(literal);
        }
    }

    private static String literalStart(String template) {
        int variable = template.indexOf('{');
        return variable < 0 ? template : template.substring(0, variable);
    }

    /** The number of {@code /} in {@code path}: its segment count (an empty segment counts too). */
    private static int segments(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        return count;
    }

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

    /**
     * The values of {@code route}'s variables in {@code rawPath} (still percent-encoded), by name; empty if the path
     * is not an instance of the route.
     */
    public static Map<String, String> variables(Route route, String rawPath) {
        Pattern pattern = PATTERNS.get(route);
        java.util.regex.Matcher matcher = pattern == null ? null : pattern.matcher(rawPath);
        if (matcher == null || !matcher.matches()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> names = route.variables();
        for (int i = 0; i < names.size() && i < matcher.groupCount(); i++) {
            values.put(names.get(i), matcher.group(i + 1));
        }
        return values;
    }

    /** The services the table routes to (configuration keys). */
    public static Set<String> services() {
        return ROUTES.stream().map(Route::service).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Finds the route of {@code method} on {@code rawPath}, the path as received (still percent-encoded). */
    public static Lookup lookup(String method, String rawPath) {
        // HEAD is GET without a body: every GET route serves it (the services do the same).
        String routed = "HEAD".equals(method) ? "GET" : method;
        Set<String> allowed = null;
        int segments = segments(rawPath);
        for (Candidate candidate : CANDIDATES) {
            if (candidate.mayMatch(rawPath, segments) && Route.matches(candidate.pattern(), rawPath)) {
                if (candidate.route().method().equals(routed)) {
                    return candidate.found();
                }
                if (allowed == null) {
                    allowed = new LinkedHashSet<>();
                }
                allowed.add(candidate.route().method());
            }
        }
        if (allowed == null) {
            return UNKNOWN;
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        return new Lookup.WrongMethod(allowed);
    }
}
