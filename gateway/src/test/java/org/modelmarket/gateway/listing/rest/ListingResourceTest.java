package org.modelmarket.gateway.listing.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class ListingResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void vendorCreatesListingThroughCatalogWithOwnToken() {
        stub.answer("catalog", (request, response) -> response.setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .putHeader("Location", "/api/v1/listings/acme/resnet-50")
                .putHeader("ETag", "\"1\"")
                .end(Listings.RESNET));
        String token = TestTokens.bearer("alice", "vendor");

        given().header("Authorization", token).contentType(ContentType.JSON).body(Listings.NEW_RESNET)
                .when().post("/api/v1/listings")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/listings/acme/resnet-50"))
                .header("ETag", "\"1\"")
                .body("id", equalTo("acme/resnet-50"))
                .body("owners", hasItem("alice"))
                .body("createdAt", equalTo("2026-11-22T10:00:00Z"));

        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.uri()).isEqualTo("/api/v1/listings");
        assertThat(call.header("Authorization")).isEqualTo(token);
        JsonObject sent = call.body().toJsonObject();
        assertThat(sent.getString("namespace")).isEqualTo("acme");
        assertThat(sent.getString("priceType")).isEqualTo("free");
        assertThat(sent.getJsonArray("frameworks").getList()).containsExactly("pytorch");
    }

    @Test
    void anonymousCannotCreate() {
        given().contentType(ContentType.JSON).body(Listings.NEW_RESNET)
                .when().post("/api/v1/listings")
                .then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("instance", equalTo("/api/v1/listings"));
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void expiredTokenIsRejected() {
        given().header("Authorization", TestTokens.expiredBearer("alice", "vendor"))
                .contentType(ContentType.JSON).body(Listings.NEW_RESNET)
                .when().post("/api/v1/listings")
                .then().statusCode(401).contentType(PROBLEM);
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void buyerCannotCreate() {
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .contentType(ContentType.JSON).body(Listings.NEW_RESNET)
                .when().post("/api/v1/listings")
                .then().statusCode(403).contentType(PROBLEM)
                .body("status", equalTo(403))
                .body("title", equalTo("Forbidden"));
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void catalogConflictPassesThroughUnchanged() {
        String conflict = Listings.problem(409, "Conflict", "acme/resnet-50 already exists");
        stub.json("catalog", 409, conflict);

        String body = given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON).body(Listings.NEW_RESNET)
                .when().post("/api/v1/listings")
                .then().statusCode(409).contentType(PROBLEM)
                .extract().asString();
        assertThat(body).isEqualTo(conflict);
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void catalogValidationProblemPassesThroughWithFieldErrors() {
        String invalid = """
                {"type":"https://modelmarket.org/problems/validation","title":"Invalid request","status":400,\
                "detail":"bad listing","instance":"/api/v1/listings","errors":[{"field":"name","message":"bad"}]}""";
        stub.json("catalog", 400, invalid);

        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON).body(Listings.NEW_RESNET.replace("resnet-50", "Bad Name"))
                .when().post("/api/v1/listings")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void malformedJsonIsRejectedAtTheEdge() {
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON).body("{\"namespace\":")
                .when().post("/api/v1/listings")
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400));
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void missingBodyIsRejectedAtTheEdge() {
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON)
                .when().post("/api/v1/listings")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", notNullValue());
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void createIsNotRetriedWhenCatalogIsDown() {
        stub.down("catalog");

        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON).body(Listings.NEW_RESNET)
                .when().post("/api/v1/listings")
                .then().statusCode(503).contentType(PROBLEM)
                .header("Retry-After", notNullValue())
                .body("status", equalTo(503));
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void anonymousGetsListingWithEtag() {
        stub.answer("catalog", (request, response) -> response.setStatusCode(200)
                .putHeader("Content-Type", "application/json").putHeader("ETag", "\"3\"").end(Listings.RESNET));

        given().when().get("/api/v1/listings/acme/resnet-50")
                .then().statusCode(200).contentType(ContentType.JSON)
                .header("ETag", "\"3\"")
                .body("title", equalTo("ResNet-50"))
                .body("version", equalTo(1));

        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.uri()).isEqualTo("/api/v1/listings/acme/resnet-50");
        assertThat(call.header("Authorization")).isNull();
    }

    @Test
    void signedInCallerTokenIsForwardedOnGet() {
        stub.json("catalog", 200, Listings.RESNET);
        String token = TestTokens.bearer("carol", "buyer");

        given().header("Authorization", token).when().get("/api/v1/listings/acme/resnet-50")
                .then().statusCode(200);
        assertThat(stub.onlyCall("catalog").header("Authorization")).isEqualTo(token);
    }

    @Test
    void invalidTokenOnAnonymousRouteIs401NotAnonymous() {
        stub.json("catalog", 200, Listings.RESNET);

        given().header("Authorization", TestTokens.expiredBearer("carol", "buyer"))
                .when().get("/api/v1/listings/acme/resnet-50")
                .then().statusCode(401).contentType(PROBLEM);
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void unknownListingPassesThroughAs404() {
        String missing = Listings.problem(404, "Not found", "no listing acme/nope");
        stub.json("catalog", 404, missing);

        String body = given().when().get("/api/v1/listings/acme/nope")
                .then().statusCode(404).contentType(PROBLEM)
                .extract().asString();
        assertThat(body).isEqualTo(missing);
        assertThat(stub.calls("catalog")).as("4xx is not retried").hasSize(1);
    }

    @Test
    void getIsRetriedThen503WhenCatalogIsDown() {
        stub.down("catalog");

        given().when().get("/api/v1/listings/acme/resnet-50")
                .then().statusCode(503).contentType(PROBLEM)
                .body("title", equalTo("Service unavailable"))
                .body("detail", equalTo("The catalog service is unavailable; try again later."))
                .body("instance", equalTo("/api/v1/listings/acme/resnet-50"));
        assertThat(stub.calls("catalog")).as("first try and two retries").hasSize(3);
    }

    @Test
    void catalogServerErrorIsBadGateway() {
        stub.json("catalog", 500, "{\"status\":500}");

        given().when().get("/api/v1/listings/acme/resnet-50")
                .then().statusCode(502).contentType(PROBLEM)
                .body("status", equalTo(502));
    }
}
