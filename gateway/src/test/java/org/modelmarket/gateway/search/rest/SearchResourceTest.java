package org.modelmarket.gateway.search.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class SearchResourceTest {

    private static final String PAGE = """
            {"total":1,"page":0,"size":20,"items":[{"id":"acme/resnet-50","listingId":"6f1c2d9e-4b7a-4c1e-9a35-2f0e8d1b7c40",
             "title":"ResNet-50","summary":"Residual network","modality":"image","task":"image-classification",
             "license":"apache-2.0","priceType":"free","tags":["vision"]}]}
            """;

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void anonymousSearchIsForwardedWithItsParameters() {
        stub.json("search", 200, PAGE);

        given().queryParam("q", "resnet vision").queryParam("page", 0).queryParam("size", 20)
                .when().get("/api/v1/search")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("total", equalTo(1))
                .body("items[0].id", equalTo("acme/resnet-50"))
                .body("items[0].tags[0]", equalTo("vision"));

        DownstreamStub.Recorded call = stub.onlyCall("search");
        assertThat(call.uri()).startsWith("/api/v1/search?")
                .containsAnyOf("q=resnet+vision", "q=resnet%20vision").contains("page=0").contains("size=20");
        assertThat(call.header("Authorization")).isNull();
    }

    @Test
    void absentParametersAreLeftToSearchService() {
        stub.json("search", 200, PAGE);

        given().when().get("/api/v1/search").then().statusCode(200);
        assertThat(stub.onlyCall("search").uri()).isEqualTo("/api/v1/search");
    }

    @Test
    void callerTokenIsForwarded() {
        stub.json("search", 200, PAGE);
        String token = TestTokens.bearer("bob", "buyer");

        given().header("Authorization", token).when().get("/api/v1/search?q=x").then().statusCode(200);
        assertThat(stub.onlyCall("search").header("Authorization")).isEqualTo(token);
    }

    @Test
    void outOfRangePageSizeIsRejectedAtTheEdge() {
        given().queryParam("size", 101).queryParam("page", -1)
                .when().get("/api/v1/search")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("page", "size"));
        assertThat(stub.calls("search")).isEmpty();
    }

    @Test
    void nonNumericPageIsAProblem() {
        given().queryParam("page", "first")
                .when().get("/api/v1/search")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400));
        assertThat(stub.calls("search")).isEmpty();
    }

    @Test
    void searchServiceProblemPassesThrough() {
        String bad = Listings.problem(400, "Invalid request", "q is too long");
        stub.json("search", 400, bad);

        String body = given().queryParam("q", "x".repeat(50)).when().get("/api/v1/search")
                .then().statusCode(400).contentType("application/problem+json")
                .extract().asString();
        assertThat(body).isEqualTo(bad);
    }

    @Test
    void searchServiceDownIs503() {
        stub.down("search");

        given().when().get("/api/v1/search?q=x")
                .then().statusCode(503).contentType("application/problem+json")
                .body("detail", equalTo("The search service is unavailable; try again later."));
    }
}
