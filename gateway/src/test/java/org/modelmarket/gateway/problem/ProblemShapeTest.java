package org.modelmarket.gateway.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.platform.problem.ProblemType;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Acceptance: every error the gateway answers, its own (401, 403, 404, 405, 502, 503) and the services' passed through
 * (400, 409, 412, 413, 428), has the same RFC 9457 shape and the product's one type-URI scheme; a downstream 4xx body
 * in another scheme is answered in ours. Bodies are checked, not only statuses.
 */
@QuarkusTest
class ProblemShapeTest {

    private static final String FILES = "/api/v1/listings/acme/resnet-50/files";

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    /** A request, what the downstream stub does meanwhile, and the status the caller must get. */
    record Case(
            String name,
            int status,
            Consumer<DownstreamStub> downstream,
            String method,
            String path,
            Consumer<RequestSpecification> request) {

        @Override
        public String toString() {
            return status + " " + name;
        }
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                        new Case(
                                "search validation, passed through",
                                400,
                                s -> s.json(
                                        "search",
                                        400,
                                        Listings.problem(400, "Invalid request", "size must be at most 100")),
                                "GET",
                                "/api/v1/search?size=1000",
                                r -> {}),
                        new Case(
                                "anonymous write, refused at the edge",
                                401,
                                s -> {},
                                "POST",
                                "/api/v1/vendors",
                                r -> r.contentType(ContentType.JSON).body("{}")),
                        new Case(
                                "expired token",
                                401,
                                s -> {},
                                "GET",
                                "/api/v1/taxonomy",
                                r -> r.header("Authorization", TestTokens.expiredBearer("carol", "buyer"))),
                        new Case(
                                "buyer uploading a file, refused by artifact-service and passed through",
                                403,
                                s -> s.json("artifact", 403, Listings.problem(403, "Forbidden", "bob is no vendor")),
                                "PUT",
                                FILES + "/model.bin",
                                r -> r.header("Authorization", TestTokens.bearer("bob", "buyer"))
                                        .contentType("application/octet-stream")
                                        .body(new byte[] {1})),
                        new Case("path outside the route table", 404, s -> {}, "GET", "/api/v1/nothing-here", r -> {}),
                        new Case(
                                "unknown file, passed through",
                                404,
                                s -> s.json("artifact", 404, Listings.problem(404, "Not found", "no file nope.bin")),
                                "GET",
                                FILES + "/nope.bin",
                                r -> {}),
                        new Case(
                                "wrong method",
                                405,
                                s -> {},
                                "DELETE",
                                "/api/v1/listings/acme/resnet-50/history",
                                r -> r.header("Authorization", TestTokens.bearer("alice", "vendor"))),
                        new Case(
                                "vendor exists, passed through",
                                409,
                                s -> s.json("catalog", 409, Listings.problem(409, "Conflict", "acme exists")),
                                "POST",
                                "/api/v1/vendors",
                                r -> r.header("Authorization", TestTokens.bearer("alice", "vendor"))
                                        .contentType(ContentType.JSON)
                                        .body("{\"namespace\":\"acme\"}")),
                        new Case(
                                "stale If-Match, passed through",
                                412,
                                s -> s.json(
                                        "catalog",
                                        412,
                                        Listings.problem(412, "Precondition failed", "version 3 is current")),
                                "PUT",
                                "/api/v1/listings/acme/resnet-50",
                                r -> r.header("Authorization", TestTokens.bearer("alice", "vendor"))
                                        .header("If-Match", "\"1\"")
                                        .contentType(ContentType.JSON)
                                        .body("{}")),
                        new Case(
                                "upload too large, passed through",
                                413,
                                s -> s.json(
                                        "artifact", 413, Listings.problem(413, "Payload too large", "at most 5 GiB")),
                                "PUT",
                                FILES + "/model.bin",
                                r -> r.header("Authorization", TestTokens.bearer("alice", "vendor"))
                                        .contentType("application/octet-stream")
                                        .body(new byte[] {1})),
                        new Case(
                                "missing If-Match, passed through",
                                428,
                                s -> s.json(
                                        "catalog",
                                        428,
                                        Listings.problem(428, "Precondition required", "send If-Match")),
                                "PUT",
                                "/api/v1/listings/acme/resnet-50",
                                r -> r.header("Authorization", TestTokens.bearer("alice", "vendor"))
                                        .contentType(ContentType.JSON)
                                        .body("{}")),
                        new Case(
                                "catalog failing",
                                502,
                                s -> s.json("catalog", 500, "{\"status\":500}"),
                                "GET",
                                "/api/v1/vendors/acme",
                                r -> {}),
                        new Case("catalog down", 503, s -> s.down("catalog"), "GET", "/api/v1/vendors/acme", r -> {}))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void everyErrorIsAProblemOfTheOneScheme(Case error) {
        error.downstream().accept(stub);
        RequestSpecification request = given().urlEncodingEnabled(false);
        error.request().accept(request);

        Response response = request.when().request(error.method(), error.path());

        assertThat(response.statusCode()).as(error.name()).isEqualTo(error.status());
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonPath body = response.jsonPath();
        assertThat(body.getString("type")).startsWith(ProblemType.BASE).matches(ProblemType.BASE + "[a-z0-9-]+");
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getInt("status")).isEqualTo(error.status());
        assertThat(body.getString("detail")).isNotBlank();
        assertThat(body.getString("instance")).isNotBlank();
        if (error.status() >= 500) {
            assertThat(body.getString("errorId"))
                    .as("every 5xx carries an error id")
                    .isNotBlank();
            assertThat(body.getString("detail")).contains(body.getString("errorId"));
        }
        if (error.status() == 401) {
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }
}
