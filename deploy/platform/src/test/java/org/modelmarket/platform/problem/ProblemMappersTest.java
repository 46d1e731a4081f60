package org.modelmarket.platform.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Every kind of error the platform's mappers shape, through the test app's REST API: one JSON shape, one URI scheme. */
@QuarkusTest
class ProblemMappersTest {

    private static final String BASE = "https://modelmarket.org/problems/";

    @Test
    void validationErrorsNameTheFullPathOfEachField() {
        given().contentType("application/json")
                .body("{\"name\":\"\",\"parts\":[{\"label\":\"ok\",\"quantity\":1},{\"label\":\" \",\"quantity\":0}]}")
                .post("/widgets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "validation"))
                .body("title", equalTo("Invalid request"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/widgets"))
                .body("errors.field", equalTo(java.util.List.of("name", "parts[1].label", "parts[1].quantity")))
                .body("errorId", nullValue());
    }

    @Test
    void malformedJsonAndWrongTypesAre400s() {
        given().contentType("application/json")
                .body("{\"name\":")
                .post("/widgets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "validation"))
                .body("detail", equalTo("The request body is not valid JSON"));
        given().contentType("application/json")
                .body("{\"name\":\"w\",\"parts\":[{\"label\":\"a\",\"quantity\":\"many\"}]}")
                .post("/widgets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("parts[0].quantity"))
                .body("errors[0].message", equalTo("must be an integer"));
    }

    @Test
    void aValueOfTheWrongJsonTypeSaysWhatTheFieldMustBe() {
        given().contentType("application/json")
                .body("{\"name\":\"w\",\"availableFrom\":\"tomorrow\"}")
                .post("/widgets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(java.util.List.of("availableFrom")))
                .body("errors[0].message", equalTo("must be a date-time (RFC 3339, e.g. 2026-12-01T00:00:00Z)"));
        given().contentType("application/json")
                .body("{\"name\":\"w\",\"tags\":\"red\"}")
                .post("/widgets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(java.util.List.of("tags")))
                .body("errors[0].message", equalTo("must be an array"));
        given().contentType("application/json")
                .body("{\"name\":\"w\",\"parts\":{\"label\":\"a\"}}")
                .post("/widgets")
                .then()
                .statusCode(400)
                .body("errors.field", equalTo(java.util.List.of("parts")))
                .body("errors[0].message", equalTo("must be an array"));
    }

    @Test
    void aQueryParameterThatDoesNotConvertIsA400NamingIt() {
        given().get("/widgets?page=2&size=LARGE&madeOn=2026-12-01")
                .then()
                .statusCode(200)
                .body("", equalTo(java.util.List.of("2", "LARGE", "null", "2026-12-01")));
        assertMalformedQuery("page=abc", "page", "must be an integer", "abc");
        assertMalformedQuery("size=huge", "size", "must be one of SMALL, LARGE", "huge");
        assertMalformedQuery("owner=x", "owner", "must be a UUID", "x");
        assertMalformedQuery("madeOn=tomorrow", "madeOn", "must be a date (YYYY-MM-DD)", "tomorrow");
        // the first bad one is named, whatever the order in the URL
        assertMalformedQuery("size=LARGE&madeOn=x&page=y", "page", "must be an integer", "y");
        assertMalformedQuery("page=" + "9".repeat(50), "page", "must be an integer", "9".repeat(40) + "...");
    }

    @Test
    void aPathParameterThatDoesNotConvertStaysA404() {
        given().get("/widgets/not-a-uuid?page=abc")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "not-found"))
                .body("errors", nullValue());
    }

    private static void assertMalformedQuery(String query, String field, String message, String shown) {
        given().get("/widgets?" + query)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "validation"))
                .body("instance", equalTo("/widgets"))
                .body(
                        "detail",
                        equalTo("A query parameter is malformed: " + field + " " + message + ", not '" + shown + "'"))
                .body("errors.field", equalTo(java.util.List.of(field)))
                .body("errors.message", equalTo(java.util.List.of(message)));
    }

    @Test
    void aServiceProblemCarriesItsOwnSlugUnderTheOneScheme() {
        UUID id = UUID.randomUUID();
        given().get("/widgets/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "widget-not-found"))
                .body("title", equalTo("Widget not found"))
                .body("detail", equalTo("No widget " + id))
                .body("instance", equalTo("/widgets/" + id));
    }

    @Test
    void routingErrorsAreProblemsToo() {
        given().get("/nowhere")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "not-found"));
        given().delete("/widgets/admin")
                .then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "method-not-allowed"))
                .body("status", equalTo(405));
        given().contentType("text/plain")
                .body("x")
                .post("/widgets")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "unsupported-media-type"));
    }

    @Test
    void unauthenticatedAndForbiddenTakeTheSamePath() {
        given().get("/widgets/admin")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo(BASE + "unauthorized"))
                .body("status", equalTo(401));
        given().header("Authorization", TestTokens.expiredBearer("bob", "buyer"))
                .get("/widgets/admin")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo(BASE + "unauthorized"));
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .get("/widgets/admin")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "forbidden"));
        given().header("Authorization", TestTokens.bearer("root", "admin"))
                .get("/widgets/admin")
                .then()
                .statusCode(200)
                .body(equalTo("ok"));
    }

    @Test
    void anUnexpectedErrorIsA500WithAnErrorIdAndNoInternals() {
        Response response = given().get("/widgets/boom");
        response.then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body("type", equalTo(BASE + "internal"))
                .body("title", equalTo("Internal server error"));
        String errorId = response.path("errorId");
        assertThat(UUID.fromString(errorId)).isNotNull();
        assertThat(response.<String>path("detail")).contains(errorId).doesNotContain("secret");
    }

    @Test
    void theCallerComesFromTheToken() {
        given().header("Authorization", TestTokens.bearer("alice", "vendor", "buyer"))
                .get("/widgets/me")
                .then()
                .statusCode(200)
                .body("subject", equalTo("alice"))
                .body("roles", hasItem("vendor"))
                .body("roles", hasItem("buyer"));
    }
}
