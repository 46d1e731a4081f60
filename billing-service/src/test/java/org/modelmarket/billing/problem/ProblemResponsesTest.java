package org.modelmarket.billing.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Every error billing-service can answer has the platform's one problem+json shape and type-URI scheme
 * ({@code https://modelmarket.org/problems/<slug>}): 400, 401, 404 (service and route), 405, 406 and 500 with an error
 * id. There is no 403 (every authenticated caller may ask for their own entitlement), no 409/412/413/428 (no writes,
 * no conditional requests, no bodies).
 */
@QuarkusTest
class ProblemResponsesTest {

    private static final String ALICE = TestTokens.bearer("alice", "buyer");
    private static final String UNKNOWN = "/api/v1/entitlements/problem-acme/no-such-model";

    @Inject
    Pool pool;

    @Test
    void badInputIs400WithFieldErrors() {
        JsonPath body = problem(
                given().header("Authorization", ALICE).get("/api/v1/entitlements/Bad_NS/-x-"),
                400,
                "validation",
                "/api/v1/entitlements/Bad_NS/-x-");
        assertThat(body.getList("errors.field")).containsExactly("name", "namespace");
        assertThat(body.getList("errors.message", String.class))
                .allSatisfy(m -> assertThat(m).startsWith("must be"));
    }

    @Test
    void aQueryParameterOfTheWrongTypeIs400NamingIt() {
        JsonPath body = problem(
                given().header("Authorization", ALICE).get("/api/v1/subscriptions?page=abc"),
                400,
                "validation",
                "/api/v1/subscriptions");
        assertThat(body.getList("errors.field")).containsExactly("page");
        assertThat(body.getList("errors.message")).containsExactly("must be an integer");
        body = problem(
                given().header("Authorization", ALICE).get("/api/v1/subscriptions?status=bogus"),
                400,
                "validation",
                "/api/v1/subscriptions");
        assertThat(body.getList("errors.field")).containsExactly("status");
        assertThat(body.getString("errors[0].message")).startsWith("must be one of TRIAL, ACTIVE");
    }

    @Test
    void aQueryParameterTheOperationDoesNotTakeIs400NamingIt() {
        JsonPath body = problem(
                given().header("Authorization", ALICE).get("/api/v1/offers?status=x"),
                400,
                "validation",
                "/api/v1/offers");
        assertThat(body.getList("errors.field")).containsExactly("status");
        assertThat(body.getString("errors[0].message"))
                .isEqualTo("is not a parameter of this operation: this operation takes no query parameters");
        body = problem(
                given().header("Authorization", ALICE).get("/api/v1/invoices?page=x&buyer=alice"),
                400,
                "validation",
                "/api/v1/invoices");
        assertThat(body.getList("errors.field")).containsExactly("page");
        assertThat(body.getString("errors[0].message"))
                .isEqualTo("is not a parameter of this operation: this operation takes buyer");
        // the parameters an operation takes still work
        given().header("Authorization", ALICE)
                .get("/api/v1/invoices?buyer=alice")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("findAll { it.buyer != 'alice' }.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void missingExpiredAndMalformedTokensAre401WithAChallenge() {
        for (String token : new String[] {null, TestTokens.expiredBearer("alice", "buyer"), "Bearer not-a-jwt"}) {
            Response response = token == null
                    ? given().get(UNKNOWN)
                    : given().header("Authorization", token).get(UNKNOWN);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            problem(response, 401, "unauthorized", UNKNOWN);
        }
    }

    @Test
    void unknownListingAndUnknownRouteAre404() {
        JsonPath body = problem(given().header("Authorization", ALICE).get(UNKNOWN), 404, "listing-not-found", UNKNOWN);
        assertThat(body.getString("detail")).isEqualTo("No listing problem-acme/no-such-model.");
        problem(
                given().header("Authorization", ALICE).get("/api/v1/no-such-resource"),
                404,
                "not-found",
                "/api/v1/no-such-resource");
    }

    @Test
    void wrongMethodIs405AndUnacceptableMediaTypeIs406() {
        problem(given().header("Authorization", ALICE).delete(UNKNOWN), 405, "method-not-allowed", UNKNOWN);
        problem(given().header("Authorization", ALICE).accept("text/csv").get(UNKNOWN), 406, null, UNKNOWN);
    }

    @Test
    void aDatabaseFailureIs500WithAnErrorIdAndNothingInternal() {
        sql("alter table listing rename to listing_away");
        JsonPath body;
        try {
            body = problem(given().header("Authorization", ALICE).get(UNKNOWN), 500, "internal", UNKNOWN);
        } finally {
            sql("alter table listing_away rename to listing");
        }
        String errorId = body.getString("errorId");
        assertThat(errorId).isNotBlank();
        assertThat(body.getString("detail")).contains(errorId).doesNotContain("listing_away", "SQL", "relation");
    }

    /**
     * Checks the one shape and returns the body.
     *
     * @param slug the expected type slug, or {@code null} to check only the scheme
     */
    static JsonPath problem(Response response, int status, String slug, String instance) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonPath body = response.jsonPath();
        assertThat(body.getString("type")).startsWith("https://modelmarket.org/problems/");
        if (slug != null) {
            assertThat(body.getString("type")).isEqualTo("https://modelmarket.org/problems/" + slug);
        }
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getInt("status")).isEqualTo(status);
        assertThat(body.getString("detail")).isNotBlank();
        assertThat(body.getString("instance")).isEqualTo(instance);
        return body;
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }
}
