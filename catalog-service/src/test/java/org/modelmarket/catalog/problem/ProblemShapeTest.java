package org.modelmarket.catalog.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.catalog.Catalog.PROBLEM;
import static org.modelmarket.catalog.Catalog.PROBLEMS;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.Catalog.Who;
import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Every kind of error catalog-service answers has the platform's one problem+json shape and type-URI scheme
 * ({@code https://modelmarket.org/problems/<slug>}, the same fields, the request path as {@code instance}): 400, 401
 * (with a challenge), 403, 404 (listing and route), 405, 409, 412, 415 and 428. The rules behind each are tested in
 * {@code WriteRulesTest}, {@code AuthorizationTest} and {@code LifecycleTest}; this test pins the shape.
 */
@QuarkusTest
class ProblemShapeTest {

    @Test
    void badInputIs400WithFieldErrors() {
        Map<String, Object> body = Listings.body(Listings.freshNamespace(), "model");
        body.put("title", "");
        JsonPath problem = problem(
                given().header("Authorization", TestTokens.bearer("shape-owner", "vendor"))
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/v1/listings"),
                400,
                "validation",
                "/api/v1/listings");
        assertThat(problem.getList("errors.field")).contains("title");
    }

    @Test
    void aQueryParameterOfTheWrongTypeIs400NamingIt() {
        JsonPath problem = problem(given().get("/api/v1/listings?page=abc"), 400, "validation", "/api/v1/listings");
        assertThat(problem.getList("errors.field")).containsExactly("page");
        assertThat(problem.getList("errors.message")).containsExactly("must be an integer");
    }

    @Test
    void missingAndBadTokensAre401WithAChallenge() {
        Fixture fixture = Catalog.draft();
        for (Response response : new Response[] {
            given().contentType(ContentType.JSON).body("{}").post("/api/v1/listings"),
            given().header("Authorization", TestTokens.expiredBearer("someone", "vendor"))
                    .get("/api/v1/listings"),
            given().header("Authorization", "Bearer not-a-jwt").get(fixture.path())
        }) {
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(problem(response, 401, "unauthorized", null).getString("instance"))
                    .startsWith("/api/v1/listings");
        }
    }

    @Test
    void forbiddenNotFoundAndWrongMethodShareTheShape() {
        Fixture fixture = Catalog.draft();
        // A buyer may not create listings (another vendor editing a draft gets 404: drafts are not disclosed).
        problem(
                fixture.as(Who.BUYER)
                        .contentType(ContentType.JSON)
                        .body(Listings.body(Listings.freshNamespace(), "model"))
                        .post("/api/v1/listings"),
                403,
                null,
                "/api/v1/listings");
        String missing = "/api/v1/listings/" + fixture.namespace() + "/no-such-model";
        problem(given().get(missing), 404, "listing-not-found", missing);
        problem(given().get("/api/v1/no-such-resource"), 404, "not-found", "/api/v1/no-such-resource");
        problem(
                given().header("Authorization", Catalog.ADMIN).patch("/api/v1/taxonomy"),
                405,
                "method-not-allowed",
                "/api/v1/taxonomy");
        problem(
                fixture.as(Who.OWNER).contentType(ContentType.TEXT).body("x").post("/api/v1/listings"),
                415,
                "unsupported-media-type",
                "/api/v1/listings");
    }

    @Test
    void conflictsAndPreconditionsShareTheShape() {
        Fixture fixture = Catalog.draft();
        Map<String, Object> body = Listings.body(fixture.namespace(), fixture.name());
        problem(
                fixture.as(Who.OWNER).contentType(ContentType.JSON).body(body).post("/api/v1/listings"),
                409,
                "listing-exists",
                "/api/v1/listings");
        problem(
                fixture.as(Who.OWNER).contentType(ContentType.JSON).body(body).put(fixture.path()),
                428,
                "precondition-required",
                fixture.path());
        problem(
                fixture.as(Who.OWNER)
                        .header("If-Match", "\"999\"")
                        .contentType(ContentType.JSON)
                        .body(body)
                        .put(fixture.path()),
                412,
                "precondition-failed",
                fixture.path());
    }

    /** Asserts the one shape; {@code slug} or {@code instance} null = only that it is in the scheme. */
    private static JsonPath problem(Response response, int status, String slug, String instance) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith(PROBLEM);
        JsonPath body = response.jsonPath();
        assertThat(body.getString("type")).startsWith(PROBLEMS);
        if (slug != null) {
            assertThat(body.getString("type")).isEqualTo(PROBLEMS + slug);
        }
        assertThat(body.getInt("status")).isEqualTo(status);
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getString("detail")).isNotBlank();
        if (instance != null) {
            assertThat(body.getString("instance")).isEqualTo(instance);
        }
        assertThat(body.getMap("").keySet())
                .containsAll(java.util.List.of("type", "title", "status", "detail", "instance"))
                .isSubsetOf("type", "title", "status", "detail", "instance", "errors", "errorId");
        return body;
    }
}
