package org.modelmarket.artifact.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Every error artifact-service can answer has the platform's one problem+json shape and type-URI scheme
 * ({@code https://modelmarket.org/problems/<slug>}): 400, 401, 403 (role and ownership), 404 (listing, file, route),
 * 405, 413, 415 and 500 with an error id. The commit, upload, range and access problems (402, 409, 416, 422) are
 * checked with their features (CommitsTest, UploadsTest, DownloadsTest, AccessTest).
 */
@QuarkusTest
class ProblemResponsesTest {

    private static final String NS = "problem-acme";
    private static final String FILES = "/api/v1/listings/" + NS + "/model/files";
    private static final String ALICE = TestTokens.bearer("alice", "vendor");
    private static final String OCTETS = "application/octet-stream";

    private static boolean published;

    @Inject
    ArtifactConfig config;

    /** Once per class; not {@code @BeforeAll}, which runs before RestAssured knows the test port. */
    @BeforeEach
    void publishListing() {
        if (published) {
            return;
        }
        published = true;
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, NS, "model", 1, "public", List.of("alice")));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get(FILES).then().statusCode(200));
    }

    @Test
    void badInputIs400WithFieldErrors() {
        JsonPath body = problem(
                given().header("Authorization", ALICE)
                        .contentType(OCTETS)
                        .body(new byte[] {1})
                        .put("/api/v1/listings/Bad_NS/model/files/x.bin"),
                400,
                "validation",
                "/api/v1/listings/Bad_NS/model/files/x.bin");
        assertThat(body.getList("errors.field")).containsExactly("namespace");
        body = problem(
                given().urlEncodingEnabled(false)
                        .header("Authorization", ALICE)
                        .contentType(OCTETS)
                        .body(new byte[] {1})
                        .put(FILES + "/a/..%2Fsecret"),
                400,
                "validation",
                FILES + "/a/..%2Fsecret");
        assertThat(body.getList("errors.field")).containsExactly("path");
    }

    @Test
    void aQueryParameterOfTheWrongTypeIs400NamingIt() {
        String commits = "/api/v1/listings/" + NS + "/model/commits";
        JsonPath body = problem(given().get(commits + "?limit=x"), 400, "validation", commits);
        assertThat(body.getList("errors.field")).containsExactly("limit");
        assertThat(body.getList("errors.message")).containsExactly("must be an integer");
    }

    @Test
    void missingExpiredAndMalformedTokensAre401WithAChallenge() {
        Response anonymousUpload =
                given().contentType(OCTETS).body(new byte[] {1}).put(FILES + "/x.bin");
        assertThat(anonymousUpload.header("WWW-Authenticate")).startsWith("Bearer");
        problem(anonymousUpload, 401, "unauthorized", FILES + "/x.bin");
        for (String token : new String[] {TestTokens.expiredBearer("alice", "vendor"), "Bearer not-a-jwt"}) {
            Response response = given().header("Authorization", token).get(FILES);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            problem(response, 401, "unauthorized", FILES);
        }
    }

    @Test
    void callersWhoMayNotUploadAre403() {
        problem(
                given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                        .contentType(OCTETS)
                        .body(new byte[] {1})
                        .put(FILES + "/x.bin"),
                403,
                "forbidden",
                FILES + "/x.bin");
        JsonPath body = problem(
                given().header("Authorization", TestTokens.bearer("carol", "vendor"))
                        .contentType(OCTETS)
                        .body(new byte[] {1})
                        .put(FILES + "/x.bin"),
                403,
                "not-listing-owner",
                FILES + "/x.bin");
        assertThat(body.getString("detail")).isEqualTo("Only the owners of " + NS + "/model may change its files.");
    }

    @Test
    void unknownListingFileAndRouteAre404() {
        String noListing = "/api/v1/listings/" + NS + "/no-such-model/files";
        assertThat(problem(given().get(noListing), 404, "listing-not-found", noListing)
                        .getString("detail"))
                .isEqualTo("No listing " + NS + "/no-such-model.");
        problem(given().get(FILES + "/missing.bin"), 404, "file-not-found", FILES + "/missing.bin");
        problem(given().get("/api/v1/no-such-resource"), 404, "not-found", "/api/v1/no-such-resource");
    }

    @Test
    void wrongMethodIs405AndWrongMediaTypeIs415() {
        problem(
                given().header("Authorization", ALICE).post(FILES + "/x.bin"),
                405,
                "method-not-allowed",
                FILES + "/x.bin");
        problem(
                given().header("Authorization", ALICE)
                        .contentType("application/json")
                        .body("{}")
                        .put(FILES + "/x.bin"),
                415,
                "unsupported-media-type",
                FILES + "/x.bin");
    }

    @Test
    void tooLargeUploadIs413() {
        // %test caps uploads at 1 MiB.
        JsonPath body = problem(
                given().header("Authorization", ALICE)
                        .contentType(OCTETS)
                        .body(new byte[1024 * 1024 + 1])
                        .put(FILES + "/big.bin"),
                413,
                "file-too-large",
                FILES + "/big.bin");
        assertThat(body.getString("detail")).isEqualTo("Files may be at most 1048576 bytes.");
    }

    @Test
    void aFileWhoseBlobIsGoneIs500WithAnErrorIdAndNothingInternal() throws IOException {
        byte[] bytes = UUID.randomUUID().toString().getBytes();
        String sha256 = given().header("Authorization", ALICE)
                .contentType(OCTETS)
                .body(bytes)
                .put(FILES + "/lost.bin")
                .then()
                .statusCode(201)
                .extract()
                .path("sha256");
        Path blob = config.blob()
                .filesystem()
                .root()
                .resolve("blobs/sha256")
                .resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2));
        assertThat(HexFormat.of().isHexDigit(sha256.charAt(0))).isTrue();
        Files.delete(blob);

        JsonPath body = problem(given().get(FILES + "/lost.bin"), 500, "internal", FILES + "/lost.bin");
        String errorId = body.getString("errorId");
        assertThat(errorId).isNotBlank();
        assertThat(body.getString("detail")).contains(errorId).doesNotContain(sha256, "blob", "Metadata");
    }

    /**
     * Checks the one shape and returns the body.
     *
     * @param slug the expected type slug
     */
    static JsonPath problem(Response response, int status, String slug, String instance) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonPath body = response.jsonPath();
        assertThat(body.getString("type")).isEqualTo("https://modelmarket.org/problems/" + slug);
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getInt("status")).isEqualTo(status);
        assertThat(body.getString("detail")).isNotBlank();
        assertThat(body.getString("instance")).isEqualTo(instance);
        return body;
    }
}
