package org.modelmarket.search.query.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** GET /api/v1/search: who may call it and what it refuses. */
@QuarkusTest
class SearchResourceTest {

    private static final String PATH = "/api/v1/search";
    private static final String PROBLEM = "application/problem+json";

    @BeforeEach
    void indexIsUp() {
        // the index is created asynchronously at startup
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get(PATH).statusCode() == 200);
    }

    @Test
    void anonymousCallersMaySearch() {
        given().queryParam("q", "anything")
                .when()
                .get(PATH)
                .then()
                .statusCode(200)
                .body("total", greaterThanOrEqualTo(0))
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items", notNullValue());
    }

    @Test
    void callersWithAValidTokenMaySearch() {
        given().header("Authorization", TestTokens.bearer("bob"))
                .queryParam("page", 2)
                .queryParam("size", 5)
                .when()
                .get(PATH)
                .then()
                .statusCode(200)
                .body("page", equalTo(2))
                .body("size", equalTo(5));
    }

    @Test
    void anInvalidTokenIsRefusedEvenHere() {
        unauthorized(given().header("Authorization", "Bearer not-a-jwt")
                .when()
                .get(PATH)
                .then());
    }

    @Test
    void anExpiredTokenIsRefused() {
        unauthorized(given().header("Authorization", TestTokens.expiredBearer("alice", "vendor"))
                .when()
                .get(PATH)
                .then());
    }

    @ParameterizedTest
    @CsvSource({
        "page, -1, 20",
        "size, 0, 0",
        "size, 0, 101",
    })
    void outOfRangePagingIsA400Problem(String field, int page, int size) {
        given().queryParam("page", page)
                .queryParam("size", size)
                .when()
                .get(PATH)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("title", equalTo("Invalid request"))
                .body("status", equalTo(400))
                .body("instance", equalTo(PATH))
                .body("errors.field", hasItem(field));
    }

    @Test
    void pagingPastTheResultWindowIsA400Problem() {
        given().queryParam("page", 99)
                .queryParam("size", 100)
                .when()
                .get(PATH)
                .then()
                .statusCode(200);

        given().queryParam("page", 100)
                .queryParam("size", 100)
                .when()
                .get(PATH)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].field", equalTo("page"))
                .body("errors[0].message", containsString("10000"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sort | popularity | sort",
                "minRating | 5.5 | minRating",
                "minRating | -1 | minRating",
                "minRating | high | minRating",
                "priceType | cheap | priceType",
                "modality | smell | modality",
                "gated | maybe | gated",
                "facets | maybe | facets",
                "task | Bad Task! | task",
                "cursor | bm90LWEtY3Vyc29y | cursor",
                "cursor | %%% | cursor",
            })
    void badSearchParametersAre400ProblemsNamingTheField(String param, String value, String field) {
        given().queryParam(param, value)
                .when()
                .get(PATH)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
    }

    @Test
    void everyBadParameterIsReportedAtOnce() {
        given().queryParam("sort", "nope")
                .queryParam("priceType", "free", "gratis")
                .queryParam("minRating", "9")
                .when()
                .get(PATH)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("sort", "priceType", "minRating"))
                .body("errors.find { it.field == 'priceType' }.message", containsString("free, paid, trial"));
    }

    @Test
    void badSuggestAndSimilarParametersAre400Problems() {
        given().when()
                .get(PATH + "/suggest")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("q"));
        given().queryParam("q", "   ")
                .when()
                .get(PATH + "/suggest")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().queryParam("q", "x".repeat(65))
                .when()
                .get(PATH + "/suggest")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().queryParam("q", "res")
                .queryParam("size", 21)
                .when()
                .get(PATH + "/suggest")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("size"));
        given().when()
                .get(PATH + "/similar/Bad%20Namespace/x")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("namespace"));
        given().queryParam("size", 0)
                .when()
                .get(PATH + "/similar/acme/x")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void aNonNumericPageIsA400Problem() {
        given().queryParam("page", "first")
                .when()
                .get(PATH)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("status", equalTo(400))
                .body("detail", containsString("first"));
    }

    @Test
    void anOverlongQueryIsA400Problem() {
        given().queryParam("q", "x".repeat(257))
                .when()
                .get(PATH)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("q"));
    }

    private static void unauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("https://modelmarket.org/problems/unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo(PATH));
    }
}
