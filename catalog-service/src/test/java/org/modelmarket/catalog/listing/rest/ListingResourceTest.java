package org.modelmarket.catalog.listing.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.modelmarket.catalog.listing.rest.Listings.body;
import static org.modelmarket.catalog.listing.rest.Listings.freshNamespace;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.modelmarket.catalog.Catalog;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** The listing REST API against the real database: happy paths, bad input, and callers who may not call it. */
@QuarkusTest
class ListingResourceTest {

    private static final String LISTINGS = "/api/v1/listings";
    private static final String PROBLEM = "application/problem+json";
    private static final String ALICE = TestTokens.bearer("alice", "vendor");

    @Test
    void createsAListingAndServesItWithItsVersionAsETag() {
        String namespace = freshNamespace();
        String listingId = given().header("Authorization", ALICE)
                .contentType(ContentType.JSON)
                .body(body(namespace, "resnet-50"))
                .when()
                .post(LISTINGS)
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", endsWith(LISTINGS + "/" + namespace + "/resnet-50"))
                .header("ETag", matchesPattern("\"1-[0-9a-f]{16}\""))
                .body("id", equalTo(namespace + "/resnet-50"))
                .body("listingId", notNullValue())
                .body("namespace", equalTo(namespace))
                .body("name", equalTo("resnet-50"))
                .body("title", equalTo("ResNet-50"))
                .body("modality", equalTo("image"))
                .body("task", equalTo("image-classification"))
                .body("license", equalTo("apache-2.0"))
                .body("tags", contains("vision", "imagenet"))
                .body("languages", contains("en"))
                .body("frameworks", contains("pytorch"))
                .body("priceType", equalTo("free"))
                .body("visibility", equalTo("public"))
                .body("status", equalTo("draft"))
                .body("owners", contains("alice"))
                .body("version", equalTo(1))
                .body("createdAt", notNullValue())
                .extract()
                .path("listingId");

        // Drafts are visible to the vendor's members (and admins) only.
        given().when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "resnet-50")
                .then()
                .statusCode(404);
        String etag = given().header("Authorization", ALICE)
                .when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "resnet-50")
                .then()
                .statusCode(200)
                .header("ETag", matchesPattern("\"1-[0-9a-f]{16}\""))
                .body("listingId", equalTo(listingId))
                .body("id", equalTo(namespace + "/resnet-50"))
                .body("tags", contains("vision", "imagenet"))
                .body("owners", contains("alice"))
                .body("version", equalTo(1))
                .extract()
                .header("ETag");

        // Conditional GET: a cache holding this representation is told it is current.
        given().header("Authorization", ALICE)
                .header("If-None-Match", etag)
                .when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "resnet-50")
                .then()
                .statusCode(304)
                .header("ETag", equalTo(etag));
    }

    @Test
    void theNamespaceOwnerMayAddMoreListings() {
        String namespace = freshNamespace();
        create(ALICE, body(namespace, "first")).statusCode(201);
        create(ALICE, body(namespace, "second")).statusCode(201);
    }

    @Test
    void unknownListingIsA404Problem() {
        given().when()
                .get(LISTINGS + "/{ns}/{name}", freshNamespace(), "nothing")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("status", equalTo(404))
                .body("title", equalTo("Listing not found"))
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"))
                .body("instance", containsString("/nothing"));
    }

    @Test
    void duplicateIsA409Problem() {
        String namespace = freshNamespace();
        create(ALICE, body(namespace, "twice")).statusCode(201);
        create(ALICE, body(namespace, "twice"))
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/listing-exists"))
                .body("status", equalTo(409))
                .body("detail", containsString(namespace + "/twice"));
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                invalid("namespace", b -> b.put("namespace", "Acme")),
                invalid("namespace", b -> b.put("namespace", "-acme")),
                invalid("namespace", b -> b.remove("namespace")),
                invalid("name", b -> b.put("name", "a".repeat(65))),
                invalid("name", b -> b.put("name", "bad/name")),
                invalid("title", b -> b.put("title", " ")),
                invalid("title", b -> b.put("title", "t".repeat(201))),
                invalid("summary", b -> b.put("summary", "s".repeat(2001))),
                invalid("modality", b -> b.put("modality", "smell")),
                invalid("task", b -> b.put("task", "Image Classification")),
                invalid("license", b -> b.put("license", "my licence!")),
                invalid("tags[1]", b -> b.put("tags", List.of("ok", "Not OK"))),
                invalid("tags", b -> b.put("tags", java.util.Collections.nCopies(21, "t"))),
                invalid("languages[0]", b -> b.put("languages", List.of("english"))),
                invalid("languages[0]", b -> b.put("languages", List.of("zz"))),
                invalid("task", b -> b.put("task", "mind-reading")),
                invalid("license", b -> b.remove("license")),
                invalid("frameworks[0]", b -> b.put("frameworks", List.of("Py Torch"))),
                invalid("priceType", b -> b.remove("priceType")),
                invalid("priceType", b -> b.put("priceType", "gratis")),
                invalid("visibility", b -> b.put("visibility", "secret")),
                invalid("tags", b -> b.put("tags", "vision")));
    }

    private static Arguments invalid(String field, Consumer<Map<String, Object>> breaker) {
        return Arguments.of(field, breaker);
    }

    @ParameterizedTest(name = "bad {0}")
    @MethodSource("invalidBodies")
    void eachInvalidFieldIsA400ProblemAndNothingIsStored(String field, Consumer<Map<String, Object>> breaker) {
        String namespace = freshNamespace();
        Map<String, Object> body = body(namespace, "model");
        breaker.accept(body);

        create(ALICE, body)
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("status", equalTo(400))
                .body("instance", equalTo(LISTINGS))
                .body("errors.field", hasItem(field))
                .body("errors.message", everyItem(notNullValue()));

        given().when().get(LISTINGS + "/{ns}/{name}", namespace, "model").then().statusCode(404);
        // Nor was the namespace claimed: another vendor can still take it.
        create(TestTokens.bearer("carol", "vendor"), body(namespace, "model")).statusCode(201);
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().header("Authorization", ALICE)
                .contentType(ContentType.JSON)
                .body("{\"namespace\": ")
                .when()
                .post(LISTINGS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("status", equalTo(400));
    }

    @Test
    void missingBodyIsA400Problem() {
        given().header("Authorization", ALICE)
                .contentType(ContentType.JSON)
                .when()
                .post(LISTINGS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors", hasSize(1));
    }

    @Test
    void anonymousCallerGetsA401Problem() {
        given().contentType(ContentType.JSON)
                .body(body(freshNamespace(), "model"))
                .when()
                .post(LISTINGS)
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .body("type", equalTo("https://modelmarket.org/problems/unauthorized"));
    }

    @Test
    void expiredTokenGetsA401Problem() {
        create(TestTokens.expiredBearer("alice", "vendor"), body(freshNamespace(), "model"))
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void buyerGetsA403Problem() {
        create(TestTokens.bearer("bob", "buyer"), body(freshNamespace(), "model"))
                .statusCode(403)
                .contentType(PROBLEM)
                .body("status", equalTo(403))
                .body("title", equalTo("Forbidden"));
    }

    @Test
    void anotherVendorsNamespaceIsA403Problem() {
        String namespace = freshNamespace();
        create(ALICE, body(namespace, "mine")).statusCode(201);
        create(TestTokens.bearer("mallory", "vendor"), body(namespace, "theirs"))
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/namespace-owned-by-other"))
                .body("detail", containsString(namespace));
        given().when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "theirs")
                .then()
                .statusCode(404);
    }

    @Test
    void privateListingsAreVisibleToTheirOwnersOnly() {
        String namespace = freshNamespace();
        Map<String, Object> body = body(namespace, "secret");
        body.put("visibility", "private");
        create(ALICE, body).statusCode(201).body("visibility", equalTo("private"));

        given().header("Authorization", ALICE)
                .when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "secret")
                .then()
                .statusCode(200);
        given().when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "secret")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "secret")
                .then()
                .statusCode(404);
        given().header("Authorization", TestTokens.bearer("root", "admin"))
                .when()
                .get(LISTINGS + "/{ns}/{name}", namespace, "secret")
                .then()
                .statusCode(200);
    }

    /**
     * Anonymous reads of what everyone may see are the same bytes for every anonymous caller: a shared cache (the
     * gateway's) may keep them for {@code s-maxage} (1 s in the tests' default config), browsers revalidate
     * ({@code max-age=0}); what a signed-in caller reads is {@code private}. A draft is no anonymous read at all (404,
     * no such header).
     */
    @Test
    void cacheControlIsPublicForAnonymousReadsAndPrivateForSignedInCallers() {
        Catalog.Fixture published = Catalog.inStatus("published");
        String shared = "public, max-age=0, s-maxage=1";
        String etag = given().when()
                .get(published.path())
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo(shared))
                .body("id", equalTo(published.id()))
                .extract()
                .header("ETag");
        // A 304 carries it too: it refreshes a cache's copy (RFC 9111 4.3.4).
        given().header("If-None-Match", etag)
                .when()
                .get(published.path())
                .then()
                .statusCode(304)
                .header("Cache-Control", equalTo(shared));
        given().when()
                .get(LISTINGS + "/by-id/{id}", published.listingId())
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo(shared));
        given().when()
                .get(LISTINGS + "?namespace={ns}", published.namespace())
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo(shared))
                .body("items.id", contains(published.id()));

        for (String token : List.of(published.owner(), TestTokens.bearer("bob", "buyer"))) {
            given().header("Authorization", token)
                    .when()
                    .get(published.path())
                    .then()
                    .statusCode(200)
                    .header("Cache-Control", equalTo("private, no-cache"));
            given().header("Authorization", token)
                    .when()
                    .get(LISTINGS + "?namespace={ns}", published.namespace())
                    .then()
                    .statusCode(200)
                    .header("Cache-Control", equalTo("private, no-cache"));
        }
        given().header("Authorization", published.owner())
                .when()
                .get(LISTINGS + "/by-id/{id}", published.listingId())
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo("private, no-cache"));

        Catalog.Fixture draft = Catalog.draft();
        given().when()
                .get(draft.path())
                .then()
                .statusCode(404)
                .header("Cache-Control", org.hamcrest.Matchers.not(containsString("public")));
        given().header("Authorization", draft.owner())
                .when()
                .get(draft.path())
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo("private, no-cache"));
    }

    /**
     * A vendor's page ({@code GET /vendors/{ns}/listings}) is cacheable like {@code GET /listings}: for anonymous
     * callers it holds only the published listings (never the vendor's draft beside them) and is {@code public} with
     * {@code s-maxage}; members, other signed-in callers and admins get {@code private, no-cache} (members see the
     * draft). Errors are never marked shareable.
     */
    @Test
    void vendorPagesArePublicForAnonymousCallersAndPrivateForSignedInOnes() {
        Catalog.Fixture published = Catalog.inStatus("published");
        given().header("Authorization", published.owner())
                .contentType(ContentType.JSON)
                .body(Listings.body(published.namespace(), "unfinished"))
                .post(LISTINGS)
                .then()
                .statusCode(201);
        String vendorPage = "/api/v1/vendors/{ns}/listings";

        given().when()
                .get(vendorPage, published.namespace())
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo("public, max-age=0, s-maxage=1"))
                .body("total", equalTo(1))
                .body("items.id", contains(published.id()));
        given().header("Authorization", published.owner())
                .when()
                .get(vendorPage, published.namespace())
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo("private, no-cache"))
                .body("total", equalTo(2))
                .body("items.id", containsInAnyOrder(published.id(), published.namespace() + "/unfinished"));
        for (String token : List.of(TestTokens.bearer("bob", "buyer"), Catalog.ADMIN)) {
            given().header("Authorization", token)
                    .when()
                    .get(vendorPage, published.namespace())
                    .then()
                    .statusCode(200)
                    .header("Cache-Control", equalTo("private, no-cache"));
        }
        given().when()
                .get(vendorPage, "no-such-vendor-" + java.util.UUID.randomUUID())
                .then()
                .statusCode(404)
                .header("Cache-Control", org.hamcrest.Matchers.not(containsString("public")));
        given().when()
                .get(vendorPage + "?size=0", published.namespace())
                .then()
                .statusCode(400)
                .header("Cache-Control", org.hamcrest.Matchers.not(containsString("public")));
    }

    @Test
    void openApiDocumentsTheListingsApi() {
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey(LISTINGS));
    }

    private static ValidatableResponse create(String authorization, Map<String, Object> body) {
        return given().header("Authorization", authorization)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(LISTINGS)
                .then();
    }
}
