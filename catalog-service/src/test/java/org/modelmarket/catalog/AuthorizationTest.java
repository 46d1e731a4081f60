package org.modelmarket.catalog;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.modelmarket.catalog.Catalog.Who.ADMIN;
import static org.modelmarket.catalog.Catalog.Who.ANONYMOUS;
import static org.modelmarket.catalog.Catalog.Who.BUYER;
import static org.modelmarket.catalog.Catalog.Who.OTHER_VENDOR;
import static org.modelmarket.catalog.Catalog.Who.OWNER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.Catalog.Who;
import org.modelmarket.catalog.listing.rest.Listings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Who may call what: every endpoint x {anonymous, buyer, owning vendor, other vendor, admin}, each case on fresh
 * data. Denials are problem+json: 401 without a token, 403 for a caller who lacks the role or membership, 404 for
 * reads of what the caller may not see.
 */
@QuarkusTest
class AuthorizationTest {

    @Inject
    Pool pool;

    /** One endpoint: the listing status it needs, how to call it, and the expected status per caller. */
    private record Endpoint(
            String name, String status, BiFunction<Fixture, Who, Response> call, Map<Who, Integer> expected) {}

    private static Map<Who, Integer> expect(int anonymous, int buyer, int owner, int otherVendor, int admin) {
        Map<Who, Integer> map = new EnumMap<>(Who.class);
        map.put(ANONYMOUS, anonymous);
        map.put(BUYER, buyer);
        map.put(OWNER, owner);
        map.put(OTHER_VENDOR, otherVendor);
        map.put(ADMIN, admin);
        return map;
    }

    private static final Map<String, Object> REASON = Map.of("reason", "checked");

    private static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint(
                        "POST /listings (in the owner's namespace)",
                        "draft",
                        (f, who) -> f.as(who)
                                .contentType(ContentType.JSON)
                                .body(Listings.body(f.namespace(), "second"))
                                .post("/api/v1/listings"),
                        expect(401, 403, 201, 403, 403)),
                new Endpoint(
                        "GET /listings/{ns}/{name} (draft)",
                        "draft",
                        (f, who) -> f.as(who).get(f.path()),
                        expect(404, 404, 200, 404, 200)),
                new Endpoint(
                        "GET /listings/{ns}/{name} (published)",
                        "published",
                        (f, who) -> f.as(who).get(f.path()),
                        expect(200, 200, 200, 200, 200)),
                new Endpoint(
                        "GET /listings/by-id/{id} (draft)",
                        "draft",
                        (f, who) -> f.as(who).get("/api/v1/listings/by-id/" + f.listingId()),
                        expect(404, 404, 200, 404, 200)),
                new Endpoint(
                        "GET /listings/{ns}/{name}/history (draft)",
                        "draft",
                        (f, who) -> f.as(who).get(f.path() + "/history"),
                        expect(404, 404, 200, 404, 200)),
                new Endpoint(
                        "PUT /listings/{ns}/{name}",
                        "draft",
                        (f, who) -> f.as(who)
                                .header("If-Match", "\"1\"")
                                .contentType(ContentType.JSON)
                                .body(Listings.body(f.namespace(), f.name()))
                                .put(f.path()),
                        expect(401, 404, 200, 404, 403)),
                new Endpoint(
                        "PUT /listings/{ns}/{name} (published)",
                        "published",
                        (f, who) -> f.as(who)
                                .contentType(ContentType.JSON)
                                .header("If-Match", Catalog.etag(f))
                                .body(Listings.body(f.namespace(), f.name()))
                                .put(f.path()),
                        expect(401, 403, 200, 403, 403)),
                new Endpoint(
                        "POST submit",
                        "draft",
                        (f, who) -> f.as(who).post(f.path() + "/submit"),
                        expect(401, 404, 200, 404, 403)),
                new Endpoint(
                        "POST withdraw",
                        "submitted",
                        (f, who) -> f.as(who).post(f.path() + "/withdraw"),
                        expect(401, 404, 200, 404, 403)),
                new Endpoint(
                        "POST approve",
                        "submitted",
                        (f, who) -> f.as(who).post(f.path() + "/approve"),
                        expect(401, 403, 403, 403, 200)),
                new Endpoint(
                        "POST reject",
                        "submitted",
                        (f, who) -> f.as(who)
                                .contentType(ContentType.JSON)
                                .body(REASON)
                                .post(f.path() + "/reject"),
                        expect(401, 403, 403, 403, 200)),
                new Endpoint(
                        "POST deprecate",
                        "published",
                        (f, who) -> f.as(who).post(f.path() + "/deprecate"),
                        expect(401, 403, 200, 403, 403)),
                new Endpoint(
                        "POST archive",
                        "deprecated",
                        (f, who) -> f.as(who).post(f.path() + "/archive"),
                        expect(401, 403, 200, 403, 200)),
                new Endpoint(
                        "POST /versions",
                        "published",
                        (f, who) -> f.as(who)
                                .contentType(ContentType.JSON)
                                .body(Map.of("version", "1.0.0"))
                                .post(f.path() + "/versions"),
                        expect(401, 403, 201, 403, 403)),
                new Endpoint(
                        "POST /versions/{v}/publish",
                        "published",
                        (f, who) -> {
                            f.as(OWNER)
                                    .contentType(ContentType.JSON)
                                    .body(Map.of("version", "1.0.0"))
                                    .post(f.path() + "/versions")
                                    .then()
                                    .statusCode(201);
                            return f.as(who).post(f.path() + "/versions/1.0.0/publish");
                        },
                        expect(401, 403, 200, 403, 403)),
                new Endpoint(
                        "GET /versions/{v} (draft)",
                        "published",
                        (f, who) -> {
                            f.as(OWNER)
                                    .contentType(ContentType.JSON)
                                    .body(Map.of("version", "2.0.0"))
                                    .post(f.path() + "/versions")
                                    .then()
                                    .statusCode(201);
                            return f.as(who).get(f.path() + "/versions/2.0.0");
                        },
                        expect(404, 404, 200, 404, 200)),
                new Endpoint(
                        "POST /vendors",
                        "draft",
                        (f, who) -> f.as(who)
                                .contentType(ContentType.JSON)
                                .body(Map.of("namespace", Listings.freshNamespace(), "displayName", "New"))
                                .post("/api/v1/vendors"),
                        expect(401, 201, 201, 201, 201)),
                new Endpoint(
                        "PUT /vendors/{ns}",
                        "draft",
                        (f, who) -> f.as(who)
                                .header("If-Match", "\"1\"")
                                .contentType(ContentType.JSON)
                                .body(Map.of("displayName", "Renamed"))
                                .put("/api/v1/vendors/" + f.namespace()),
                        expect(401, 403, 200, 403, 403)),
                new Endpoint(
                        "PUT /vendors/{ns}/verification",
                        "draft",
                        (f, who) -> f.as(who)
                                .contentType(ContentType.JSON)
                                .body(Map.of("verified", true))
                                .put("/api/v1/vendors/" + f.namespace() + "/verification"),
                        expect(401, 403, 403, 403, 200)),
                new Endpoint(
                        "PUT /vendors/{ns}/members/{subject}",
                        "draft",
                        (f, who) -> f.as(who).put("/api/v1/vendors/" + f.namespace() + "/members/new-member"),
                        expect(401, 403, 200, 403, 403)),
                new Endpoint(
                        "DELETE /vendors/{ns}/members/{subject}",
                        "draft",
                        (f, who) -> {
                            f.as(OWNER)
                                    .put("/api/v1/vendors/" + f.namespace() + "/members/leaving")
                                    .then()
                                    .statusCode(200);
                            return f.as(who).delete("/api/v1/vendors/" + f.namespace() + "/members/leaving");
                        },
                        expect(401, 403, 200, 403, 403)),
                new Endpoint(
                        "GET /vendors?member=me",
                        "draft",
                        (f, who) -> f.as(who).queryParam("member", "me").get("/api/v1/vendors"),
                        expect(401, 200, 200, 200, 200)),
                new Endpoint(
                        "GET /vendors?member={the owner}",
                        "draft",
                        (f, who) ->
                                f.as(who).queryParam("member", f.ownerSubject()).get("/api/v1/vendors"),
                        expect(401, 403, 200, 403, 200)),
                new Endpoint(
                        "GET /vendors/{ns}/listings (drafts)",
                        "draft",
                        (f, who) -> f.as(who)
                                .queryParam("status", "draft")
                                .get("/api/v1/vendors/" + f.namespace() + "/listings"),
                        expect(200, 200, 200, 200, 200)),
                new Endpoint(
                        "PUT /likes/me",
                        "published",
                        (f, who) -> f.as(who).put(f.path() + "/likes/me"),
                        expect(401, 200, 200, 200, 200)),
                new Endpoint(
                        "DELETE /likes/me",
                        "published",
                        (f, who) -> f.as(who).delete(f.path() + "/likes/me"),
                        expect(401, 200, 200, 200, 200)),
                new Endpoint(
                        "PUT /reviews/me (buyer holds an entitlement)",
                        "published",
                        (f, who) -> f.as(who)
                                .contentType(ContentType.JSON)
                                .body(Map.of("rating", 4))
                                .put(f.path() + "/reviews/me"),
                        expect(401, 201, 403, 403, 403)),
                new Endpoint(
                        "PUT /reviews/{id}/reply",
                        "published",
                        (f, who) -> {
                            String reviewId = f.as(BUYER)
                                    .contentType(ContentType.JSON)
                                    .body(Map.of("rating", 5))
                                    .put(f.path() + "/reviews/me")
                                    .then()
                                    .statusCode(201)
                                    .extract()
                                    .path("reviewId");
                            return f.as(who)
                                    .contentType(ContentType.JSON)
                                    .body(Map.of("body", "Thanks!"))
                                    .put(f.path() + "/reviews/" + reviewId + "/reply");
                        },
                        expect(401, 403, 200, 403, 403)),
                new Endpoint(
                        "POST /gate/acceptance",
                        "published",
                        (f, who) -> f.as(who).post(f.path() + "/gate/acceptance"),
                        expect(401, 200, 200, 200, 200)),
                new Endpoint(
                        "GET /gate/acceptances",
                        "published",
                        (f, who) -> f.as(who).get(f.path() + "/gate/acceptances"),
                        expect(401, 403, 200, 403, 200)));
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Who who : Who.values()) {
                cases.add(Arguments.of(endpoint.name(), who, endpoint));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void onlyTheRightCallersMayCallEachEndpoint(String name, Who who, Endpoint endpoint) {
        Fixture fixture = Catalog.inStatus(endpoint.status());
        if (name.contains("gate")) {
            makeGated(fixture);
        }
        if (name.contains("reviews")) {
            // The buyer holds an active entitlement, as billing.entitlements would have told the catalog.
            pool.preparedQuery(
                            "insert into entitlement (entitlement_key, listing_id, subject, status, source, updated_at) "
                                    + "values ($1, $2, 'buyer-1', 'active', 'subscription', now())")
                    .execute(Tuple.of(UUID.randomUUID().toString(), UUID.fromString(fixture.listingId())))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        }
        int expected = endpoint.expected().get(who);
        Response response = endpoint.call().apply(fixture, who);
        response.then().statusCode(expected);
        if (expected >= 400) {
            response.then()
                    .contentType(Catalog.PROBLEM)
                    .body("status", equalTo(expected))
                    .body("type", startsWith(Catalog.PROBLEMS));
        }
    }

    private static void makeGated(Fixture fixture) {
        Map<String, Object> body = Listings.body(fixture.namespace(), fixture.name());
        body.put("gated", true);
        body.put("gateTerms", "No surveillance.");
        fixture.as(OWNER)
                .header("If-Match", Catalog.etag(fixture))
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(200);
    }
}
