package org.modelmarket.gateway.route.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** search-service's pass-through routes: search with every parameter, suggest, similar, admin rebuild. */
@QuarkusTest
class SearchRoutesTest {

    private static final String PROBLEM = "application/problem+json";

    /** A v2 answer: the gateway must not drop facets, highlights, the cursor or fields it does not know. */
    private static final String PAGE = """
            {"total":1,"page":0,"size":20,"sort":"downloads","items":[{"id":"acme/resnet-50","title":"ResNet-50",
             "stats":{"downloads":1520},"highlights":{"title":["<em>ResNet</em>-50"]}}],
             "facets":{"modality":[{"value":"image","count":31}]},"nextCursor":"eyJ2IjoxfQ"}
            """;

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void searchForwardsTheWholeQueryStringAndTheWholeAnswer() {
        stub.json("search", 200, PAGE);
        String query = "q=image%20classification&modality=image,audio&task=translation&task=summarization"
                + "&license=apache-2.0&priceType=free&gated=false&minRating=4&sort=downloads&cursor=*&size=20";

        given().urlEncodingEnabled(false)
                .when()
                .get("/api/v1/search?" + query)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("facets.modality[0].count", equalTo(31))
                .body("items[0].highlights.title[0]", equalTo("<em>ResNet</em>-50"))
                .body("items[0].stats.downloads", equalTo(1520))
                .body("nextCursor", equalTo("eyJ2IjoxfQ"));

        DownstreamStub.Recorded call = stub.onlyCall("search");
        assertThat(call.uri()).isEqualTo("/api/v1/search?" + query);
        assertThat(call.header("Authorization")).isNull();
    }

    @Test
    void searchWithoutParametersLeavesDefaultsToSearchService() {
        stub.json("search", 200, PAGE);

        given().when().get("/api/v1/search").then().statusCode(200);
        assertThat(stub.onlyCall("search").uri()).isEqualTo("/api/v1/search");
    }

    @Test
    void signedInCallerTokenIsForwarded() {
        stub.json("search", 200, PAGE);
        String token = TestTokens.bearer("carol", "buyer");

        given().header("Authorization", token)
                .when()
                .get("/api/v1/search?q=x")
                .then()
                .statusCode(200);
        assertThat(stub.onlyCall("search").header("Authorization")).isEqualTo(token);
    }

    @Test
    void validationProblemPassesThroughWithEveryFieldError() {
        String invalid = """
                {"type":"https://modelmarket.org/problems/validation","title":"Invalid request","status":400,\
                "detail":"bad parameters","instance":"/api/v1/search",\
                "errors":[{"field":"modality","message":"unknown"},{"field":"size","message":"1..100"}]}""";
        stub.json("search", 400, invalid);

        String body = given().when()
                .get("/api/v1/search?modality=smell&size=0")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .extract()
                .asString();
        assertThat(body).isEqualTo(invalid);
        assertThat(stub.calls("search")).as("4xx is not retried").hasSize(1);
    }

    @Test
    void suggestAndSimilarAreForwarded() {
        stub.json("search", 200, "{\"q\":\"res\",\"items\":[]}");
        given().when()
                .get("/api/v1/search/suggest?q=res&size=8")
                .then()
                .statusCode(200)
                .body("q", equalTo("res"));
        assertThat(stub.onlyCall("search").uri()).isEqualTo("/api/v1/search/suggest?q=res&size=8");

        stub.reset();
        stub.json("search", 200, "{\"listing\":\"acme/resnet-50\",\"items\":[]}");
        given().when()
                .get("/api/v1/search/similar/acme/resnet-50?size=5")
                .then()
                .statusCode(200)
                .body("listing", equalTo("acme/resnet-50"));
        assertThat(stub.onlyCall("search").uri()).isEqualTo("/api/v1/search/similar/acme/resnet-50?size=5");
    }

    @Test
    void adminRebuildNeedsATokenAndKeepsItsLocation() {
        given().when()
                .post("/api/v1/search/admin/rebuild")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        given().when()
                .get("/api/v1/search/admin/rebuild")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        assertThat(stub.calls("search")).isEmpty();

        int searchPort = ConfigProvider.getConfig().getValue("modelmarket.test.stub-port.search", Integer.class);
        stub.answer(
                "search",
                (request, response) -> response.setStatusCode(202)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Location", "http://127.0.0.1:" + searchPort + "/api/v1/search/admin/rebuild")
                        .end("{\"state\":\"RUNNING\"}"));
        String admin = TestTokens.bearer("root", "admin");
        given().header("Authorization", admin)
                .when()
                .post("/api/v1/search/admin/rebuild")
                .then()
                .statusCode(202)
                .header("Location", "http://localhost:" + RestAssured.port + "/api/v1/search/admin/rebuild")
                .body("state", equalTo("RUNNING"));
        assertThat(stub.onlyCall("search").header("Authorization")).isEqualTo(admin);
    }

    @Test
    void nonAdminGetsTheSearchServices403() {
        String forbidden = Listings.problem(403, "Forbidden", "admin only");
        stub.json("search", 403, forbidden);

        String body = given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .post("/api/v1/search/admin/rebuild")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .extract()
                .asString();
        assertThat(body).isEqualTo(forbidden);
    }

    @Test
    void searchServiceDownIs503() {
        stub.down("search");

        given().when()
                .get("/api/v1/search?q=x")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", notNullValue())
                .body("detail", startsWith("The search service is unavailable; try again later."));
        assertThat(stub.calls("search")).hasSize(3);
    }

    @Test
    void searchService503IsStill503() {
        stub.json("search", 503, Listings.problem(503, "Service unavailable", "Elasticsearch is down"));

        given().when()
                .get("/api/v1/search/suggest?q=res")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", "5");
    }
}
