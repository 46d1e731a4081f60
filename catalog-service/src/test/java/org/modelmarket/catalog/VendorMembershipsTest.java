package org.modelmarket.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.modelmarket.catalog.Catalog.PROBLEM;
import static org.modelmarket.catalog.Catalog.PROBLEMS;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** {@code GET /api/v1/vendors?member=...}: the vendors a caller acts for (what the gateway's whoami-v2 shows as orgs). */
@QuarkusTest
class VendorMembershipsTest {

    @Test
    void aMemberSeesTheirVendorsByNamespaceWithMembersAndPages() {
        String subject = "member-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.bearer(subject, "vendor");
        String first = createVendor(token, "First");
        String second = createVendor(token, "Second");
        // A vendor the subject joins as a second member counts too.
        Fixture other = Catalog.draft();
        other.as(Catalog.Who.OWNER)
                .put("/api/v1/vendors/" + other.namespace() + "/members/" + subject)
                .then()
                .statusCode(200);
        List<String> expected =
                List.of(first, second, other.namespace()).stream().sorted().toList();

        given().header("Authorization", token)
                .queryParam("member", "me")
                .get("/api/v1/vendors")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("total", equalTo(3))
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items.namespace", contains(expected.toArray()))
                .body("items.find { it.namespace == '" + first + "' }.displayName", equalTo("First"))
                .body("items.find { it.namespace == '" + first + "' }.members", contains(subject))
                .body(
                        "items.find { it.namespace == '" + other.namespace() + "' }.members",
                        containsInAnyOrder(other.ownerSubject(), subject));
        given().header("Authorization", token)
                .queryParam("member", "me")
                .queryParam("page", 1)
                .queryParam("size", 2)
                .get("/api/v1/vendors")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(1))
                .body("items.namespace", contains(expected.get(2)));
        // Removed from a vendor: it is gone from the list.
        other.as(Catalog.Who.OWNER)
                .delete("/api/v1/vendors/" + other.namespace() + "/members/" + subject)
                .then()
                .statusCode(200);
        given().header("Authorization", token)
                .queryParam("member", "me")
                .get("/api/v1/vendors")
                .then()
                .body("total", equalTo(2))
                .body(
                        "items.namespace",
                        contains(List.of(first, second).stream().sorted().toArray()));
    }

    @Test
    void aNonMemberSeesNoneAndOnlyAdminsAskAboutSomeoneElse() {
        Fixture fixture = Catalog.draft();
        // a fresh buyer: the shared Catalog.BUYER becomes a vendor in AuthorizationTest
        String buyer = TestTokens.bearer("buyer-" + UUID.randomUUID(), "buyer");
        given().header("Authorization", buyer)
                .queryParam("member", "me")
                .get("/api/v1/vendors")
                .then()
                .statusCode(200)
                .body("total", equalTo(0))
                .body("items", empty());
        given().header("Authorization", buyer)
                .queryParam("member", fixture.ownerSubject())
                .get("/api/v1/vendors")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "forbidden"));
        given().header("Authorization", Catalog.ADMIN)
                .queryParam("member", fixture.ownerSubject())
                .get("/api/v1/vendors")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].namespace", equalTo(fixture.namespace()))
                .body("items[0].members", contains(fixture.ownerSubject()));
    }

    @Test
    void anonymousIs401() {
        given().queryParam("member", "me")
                .get("/api/v1/vendors")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    @Test
    void badQueryParametersAre400NamingThem() {
        Map<String, Map<String, Object>> cases = Map.of(
                "member", Map.of(),
                "size", Map.of("member", "me", "size", 0),
                "page", Map.of("member", "me", "page", "abc"));
        cases.forEach((field, query) -> given().header("Authorization", Catalog.BUYER)
                .queryParams(query)
                .get("/api/v1/vendors")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "validation"))
                .body("errors.field", contains(field)));
    }

    private static String createVendor(String token, String displayName) {
        String namespace = Listings.freshNamespace();
        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(Map.of("namespace", namespace, "displayName", displayName))
                .post("/api/v1/vendors")
                .then()
                .statusCode(201);
        return namespace;
    }
}
