package org.modelmarket.search.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelmarket.platform.problem.ProblemType;
import org.modelmarket.search.index.ListingIndex;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Acceptance: every error search-service answers has the same RFC 9457 shape and the product's one type-URI scheme
 * (the 503 with its error id is in {@code SearchUnavailableTest}, which needs Elasticsearch gone). search-service has
 * no edits, so 412, 413 and 428 do not apply. Bodies are checked, not only statuses.
 */
@QuarkusTest
class ProblemShapeTest {

    private static final String REBUILD = "/api/v1/search/admin/rebuild";

    @Inject
    ListingIndex index;

    @BeforeEach
    void indexReady() {
        // startup creates the index in the background, and gives up (the projection retries) if Elasticsearch was
        // still starting; searches are 503 until then, which is a case of its own (SearchUnavailableTest)
        index.ensureIndex().await().atMost(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @CsvSource({
        "GET, /api/v1/search?size=0, , 400, validation",
        "GET, /api/v1/search?page=first, , 400, validation",
        "GET, /api/v1/search?cursor=not-a-cursor, , 400, validation",
        "GET, /api/v1/search/suggest, , 400, validation",
        "GET, /api/v1/search, expired, 401, unauthorized",
        "GET, /api/v1/search, garbage, 401, unauthorized",
        "POST, " + REBUILD + ", , 401, unauthorized",
        "POST, " + REBUILD + ", vendor, 403, forbidden",
        "GET, /api/v1/search/nothing-here, , 404, not-found",
        "GET, /api/v1/search/similar/nobody/nothing, , 404, listing-not-found",
        "DELETE, /api/v1/search, , 405, method-not-allowed"
    })
    void everyErrorIsAProblemOfTheOneScheme(String method, String path, String token, int status, String slug) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        if ("expired".equals(token)) {
            request.header("Authorization", TestTokens.expiredBearer("alice", "vendor"));
        } else if ("garbage".equals(token)) {
            request.header("Authorization", "Bearer not-a-jwt");
        } else if (token != null) {
            request.header("Authorization", TestTokens.bearer("alice", token));
        }

        Response response = request.when().request(method, path);

        assertProblem(response, status, slug, path.replaceFirst("\\?.*", ""));
        if (status == 401) {
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }

    @Test
    void aSecondRebuildWhileOneRunsIsAConflictProblem() {
        String admin = TestTokens.bearer("root", "admin");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().header("Authorization", admin)
                                        .get(REBUILD)
                                        .then()
                                        .extract()
                                        .statusCode()
                                == 404
                        || !"RUNNING"
                                .equals(given().header("Authorization", admin)
                                        .get(REBUILD)
                                        .jsonPath()
                                        .getString("state")));
        given().header("Authorization", admin).when().post(REBUILD).then().statusCode(202);

        assertProblem(given().header("Authorization", admin).when().post(REBUILD), 409, "rebuild-in-progress", REBUILD);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> !"RUNNING"
                        .equals(given().header("Authorization", admin)
                                .get(REBUILD)
                                .jsonPath()
                                .getString("state")));
    }

    private static void assertProblem(Response response, int status, String slug, String instance) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo(ProblemType.BASE + slug);
        assertThat(response.jsonPath().getString("title")).isNotBlank();
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
        assertThat(response.jsonPath().getString("detail")).isNotBlank();
        assertThat(response.jsonPath().getString("instance")).isEqualTo(instance);
        // a parameter that is not even of its type (page=first) is named in the detail; every other 400 lists fields
        if (status == 400 && !response.jsonPath().getString("detail").startsWith("A query parameter")) {
            assertThat(response.jsonPath().getList("errors.field"))
                    .as("validation names the fields")
                    .isNotEmpty();
        }
    }
}
