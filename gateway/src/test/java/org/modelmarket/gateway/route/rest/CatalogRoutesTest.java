package org.modelmarket.gateway.route.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** The catalog's pass-through routes: vendors, taxonomy, listings and their sub-resources. */
@QuarkusTest
class CatalogRoutesTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void theRequestMetricNamesTheRouteNotTheListing() {
        // The scripted services run in the same application, so their own server metrics name the raw paths; the
        // gateway's requests are the ones counted under the route's template.
        stub.json("catalog", 200, Listings.RESNET);
        double before = templateCount();

        given().when().get("/api/v1/listings/acme/metrics-probe-1").then().statusCode(200);
        given().when().get("/api/v1/listings/acme/metrics-probe-2").then().statusCode(200);

        org.awaitility.Awaitility.await().until(() -> templateCount() == before + 2);
    }

    /** The count of successful GETs the gateway's HTTP server metric has under the listing route's template. */
    private static double templateCount() {
        String prefix = "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
                + "uri=\"/api/v1/listings/{namespace}/{name}\"} ";
        return given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(prefix.length()).trim()))
                .findFirst()
                .orElse(0);
    }

    @Test
    void anonymousReadsTaxonomy() {
        stub.json("catalog", 200, "{\"modalities\":[{\"id\":\"image\",\"tasks\":[\"image-classification\"]}]}");

        given().when()
                .get("/api/v1/taxonomy")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("modalities[0].tasks[0]", equalTo("image-classification"));

        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.uri()).isEqualTo("/api/v1/taxonomy");
        assertThat(call.header("Authorization")).isNull();
    }

    @Test
    void vendorCreateForwardsBodyAndTokenAndRewritesLocation() {
        int catalogPort = ConfigProvider.getConfig().getValue("modelmarket.test.stub-port.catalog", Integer.class);
        stub.answer(
                "catalog",
                (request, response) -> response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Location", "http://127.0.0.1:" + catalogPort + "/api/v1/vendors/acme")
                        .putHeader("ETag", "\"1\"")
                        .putHeader("X-Custom", "end-to-end")
                        .end("{\"namespace\":\"acme\",\"displayName\":\"ACME AI\"}"));
        String token = TestTokens.bearer("bob");
        String body = "{\"namespace\":\"acme\",\"displayName\":\"ACME AI\"}";

        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/vendors")
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", "http://localhost:" + RestAssured.port + "/api/v1/vendors/acme")
                .header("ETag", "\"1\"")
                .header("X-Custom", "end-to-end")
                .body("displayName", equalTo("ACME AI"));

        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.uri()).isEqualTo("/api/v1/vendors");
        assertThat(call.header("Authorization")).isEqualTo(token);
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertThat(call.body().toString()).isEqualTo(body);
    }

    @Test
    void listingCreateAcceptsTheFullModelAndLeavesRolesToTheCatalog() {
        // A vendor member without the realm's vendor role may create listings: the catalog decides.
        String full = Listings.NEW_RESNET.replace(
                "\"priceType\":\"free\"",
                "\"priceType\":\"free\",\"modelCard\":\"# ResNet\",\"formats\":[\"onnx\"],\"gated\":true,\"draft\":true");
        stub.answer(
                "catalog",
                (request, response) -> response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Location", "/api/v1/listings/acme/resnet-50")
                        .end(request.body()));

        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .contentType(ContentType.JSON)
                .body(full)
                .when()
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .header("Location", "/api/v1/listings/acme/resnet-50")
                .body("modelCard", equalTo("# ResNet"))
                .body("formats[0]", equalTo("onnx"));
        assertThat(stub.onlyCall("catalog").body().toJsonObject().getBoolean("draft"))
                .isTrue();
    }

    @Test
    void listingReadKeepsEveryFieldAndItsEtag() {
        String v2 = Listings.RESNET.replace(
                "\"version\":1",
                "\"version\":4,\"stats\":{\"downloads\":12},\"vendor\":{\"namespace\":\"acme\",\"verified\":true}");
        stub.answer(
                "catalog",
                (request, response) -> response.setStatusCode(200)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("ETag", "\"4\"")
                        .end(v2));

        given().when()
                .get("/api/v1/listings/acme/resnet-50")
                .then()
                .statusCode(200)
                .header("ETag", "\"4\"")
                .body("stats.downloads", equalTo(12))
                .body("vendor.verified", equalTo(true));
        assertThat(stub.onlyCall("catalog").uri()).isEqualTo("/api/v1/listings/acme/resnet-50");
    }

    @Test
    void ifNoneMatchComesBackAs304() {
        stub.answer(
                "catalog",
                (request, response) -> response.setStatusCode(
                                "\"4\"".equals(request.header("If-None-Match")) ? 304 : 200)
                        .putHeader("ETag", "\"4\"")
                        .end());

        given().header("If-None-Match", "\"4\"")
                .when()
                .get("/api/v1/listings/acme/resnet-50")
                .then()
                .statusCode(304)
                .header("ETag", "\"4\"");
    }

    @Test
    void editRoundTripsIfMatchAndEtag() {
        stub.answer("catalog", (request, response) -> {
            if (!"\"4\"".equals(request.header("If-Match"))) {
                response.setStatusCode(412)
                        .putHeader("Content-Type", PROBLEM)
                        .end(Listings.problem(412, "Precondition failed", "stale"));
                return;
            }
            response.setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("ETag", "\"5\"")
                    .end(Listings.RESNET);
        });
        String token = TestTokens.bearer("alice", "vendor");

        given().header("Authorization", token)
                .header("If-Match", "\"4\"")
                .contentType(ContentType.JSON)
                .body(Listings.NEW_RESNET)
                .when()
                .put("/api/v1/listings/acme/resnet-50")
                .then()
                .statusCode(200)
                .header("ETag", "\"5\"");
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.header("If-Match")).isEqualTo("\"4\"");
        assertThat(call.body().toString()).isEqualTo(Listings.NEW_RESNET);

        String stale = given().header("Authorization", token)
                .header("If-Match", "\"3\"")
                .contentType(ContentType.JSON)
                .body(Listings.NEW_RESNET)
                .when()
                .put("/api/v1/listings/acme/resnet-50")
                .then()
                .statusCode(412)
                .contentType(PROBLEM)
                .extract()
                .asString();
        assertThat(stale).isEqualTo(Listings.problem(412, "Precondition failed", "stale"));
    }

    @Test
    void missingIfMatchIs428FromTheCatalog() {
        String required = Listings.problem(428, "Precondition required", "If-Match is required");
        stub.json("catalog", 428, required);

        String body = given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON)
                .body(Listings.NEW_RESNET)
                .when()
                .put("/api/v1/listings/acme/resnet-50")
                .then()
                .statusCode(428)
                .contentType(PROBLEM)
                .extract()
                .asString();
        assertThat(body).isEqualTo(required);
        assertThat(stub.onlyCall("catalog").header("If-Match")).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/listings/acme/resnet-50/submit",
        "POST, /api/v1/listings/acme/resnet-50/reject",
        "POST, /api/v1/listings/acme/resnet-50/versions/1.0.0/publish",
        "PUT, /api/v1/listings/acme/resnet-50/likes/me",
        "DELETE, /api/v1/listings/acme/resnet-50/likes/me",
        "PUT, /api/v1/listings/acme/resnet-50/reviews/9b1d/reply",
        "POST, /api/v1/listings/acme/resnet-50/gate/acceptance",
        "POST, /api/v1/listings/acme/resnet-50/terms/acceptance",
        "PUT, /api/v1/vendors/acme/members/carol",
        "DELETE, /api/v1/vendors/acme/members/carol",
        "PUT, /api/v1/vendors/acme/verification"
    })
    void writesAreForwardedAsTheyCame(String method, String path) {
        stub.json("catalog", 200, "{\"ok\":true}");
        String token = TestTokens.bearer("alice", "vendor");

        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"x\"}")
                .when()
                .request(method, path)
                .then()
                .statusCode(200)
                .body("ok", equalTo(true));
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo(method);
        assertThat(call.uri()).isEqualTo(path);
        assertThat(call.header("Authorization")).isEqualTo(token);
        assertThat(call.body().toString()).isEqualTo("{\"reason\":\"x\"}");
    }

    @ParameterizedTest
    @CsvSource({
        "/api/v1/vendors/acme",
        "/api/v1/vendors/acme/listings?status=published&page=1&size=5",
        "/api/v1/listings?namespace=acme&status=submitted",
        "/api/v1/listings/by-id/6f1c2d9e-4b7a-4c1e-9a35-2f0e8d1b7c40",
        "/api/v1/listings/acme/resnet-50/history",
        "/api/v1/listings/acme/resnet-50/versions",
        "/api/v1/listings/acme/resnet-50/versions/latest",
        "/api/v1/listings/acme/resnet-50/likes",
        "/api/v1/listings/acme/resnet-50/reviews?page=0&size=10"
    })
    void anonymousReadsAreForwardedWithTheirQuery(String pathAndQuery) {
        stub.json("catalog", 200, "{\"ok\":true}");

        given().urlEncodingEnabled(false).when().get(pathAndQuery).then().statusCode(200);
        assertThat(stub.onlyCall("catalog").uri()).isEqualTo(pathAndQuery);
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/vendors",
        "PUT, /api/v1/listings/acme/resnet-50",
        "POST, /api/v1/listings/acme/resnet-50/approve",
        "PUT, /api/v1/listings/acme/resnet-50/likes/me",
        "POST, /api/v1/listings",
        "GET, /api/v1/listings/acme/resnet-50/gate/acceptances"
    })
    void anonymousWritesAreRefusedAtTheEdge(String method, String path) {
        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .request(method, path)
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer")
                .body("instance", equalTo(path));
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void expiredTokenIs401EvenOnAnonymousRoutes() {
        given().header("Authorization", TestTokens.expiredBearer("carol", "buyer"))
                .when()
                .get("/api/v1/taxonomy")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void catalogForbiddenPassesThroughUnchanged() {
        String forbidden = Listings.problem(403, "Forbidden", "bob is not a member of acme");
        stub.json("catalog", 403, forbidden);

        String body = given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .post("/api/v1/listings/acme/resnet-50/approve")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .extract()
                .asString();
        assertThat(body).isEqualTo(forbidden);
    }

    @ParameterizedTest
    @CsvSource({
        "/api/v1/nothing-here",
        "/api/v1/listings/acme/resnet-50/secrets",
        "/api/v1/vendors/acme/members",
        "/api/v1/vendors/%2e%2e/listings",
        "/api/v1/vendors/a%2Fb",
        "/api/v1/search/admin/other"
    })
    void pathsOutsideTheTableAre404(String path) {
        given().urlEncodingEnabled(false)
                .when()
                .get(path)
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("status", equalTo(404));
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("search")).isEmpty();
    }

    @Test
    void wrongMethodOnARoutedPathIs405WithAllow() {
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .delete("/api/v1/listings/acme/resnet-50/history")
                .then()
                .statusCode(405)
                .contentType(PROBLEM)
                .header("Allow", containsString("GET"));
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void readIsRetriedThen503WhenCatalogIsDown() {
        stub.down("catalog");

        given().when()
                .get("/api/v1/listings/acme/resnet-50/history")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", notNullValue())
                .body("detail", startsWith("The catalog service is unavailable; try again later."))
                .body("instance", equalTo("/api/v1/listings/acme/resnet-50/history"));
        assertThat(stub.calls("catalog")).as("first try and two retries").hasSize(3);
    }

    @Test
    void writeIsNotRetriedWhenCatalogIsDown() {
        stub.down("catalog");

        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/listings/acme/resnet-50/submit")
                .then()
                .statusCode(503)
                .contentType(PROBLEM);
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void catalogServerErrorIsBadGateway() {
        stub.json("catalog", 500, "{\"status\":500,\"detail\":\"error id 42\"}");

        given().when()
                .get("/api/v1/vendors/acme")
                .then()
                .statusCode(502)
                .contentType(PROBLEM)
                .body("status", equalTo(502));
    }

    @Test
    void largeBodiesAreStreamedBothWays() {
        byte[] card = Bytes.random(3 * 1024 * 1024, 7);
        stub.answer(
                "catalog",
                (request, response) -> response.setStatusCode(200)
                        .putHeader("Content-Type", "application/octet-stream")
                        .end(request.body()));

        byte[] echoed = given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .header("If-Match", "\"1\"")
                .contentType(ContentType.BINARY)
                .body(card)
                .when()
                .put("/api/v1/listings/acme/resnet-50")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertThat(Bytes.sha256(echoed)).isEqualTo(Bytes.sha256(card));
        assertThat(Bytes.sha256(stub.onlyCall("catalog").body().getBytes())).isEqualTo(Bytes.sha256(card));
    }
}
