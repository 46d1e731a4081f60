package org.modelmarket.gateway.hub;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /api/models/{id}/refs} and {@code /auth-check} as the Python client's {@code list_repo_refs} and
 * {@code auth_check} call them, for every kind of caller: anonymous, an API token with only the {@code read} scope,
 * one with {@code download}, a buyer's token, the owner; on a free, a gated, a paid and a private listing. The
 * scripted catalog and artifact-service refuse as the real ones do (artifact-service decides downloads).
 */
@QuarkusTest
class HubRefsAndAuthCheckTest {

    static final String COMMIT = HubReadApiTest.COMMIT;
    static final String OTHER_COMMIT = HubReadApiTest.OTHER_COMMIT;

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void script() {
        stub.reset();
        stub.answer("catalog", HubRefsAndAuthCheckTest::catalog);
        stub.answer("artifact", HubRefsAndAuthCheckTest::artifact);
    }

    // ---- refs ----

    @Test
    void refsListMainAndThePublishedVersionsAsTags() {
        given().when()
                .get("/api/models/acme/tiny/refs")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("branches.name", equalTo(List.of("main")))
                .body("branches[0].ref", equalTo("refs/heads/main"))
                .body("branches[0].targetCommit", equalTo(COMMIT))
                .body("converts", equalTo(List.of()))
                // 2.0.0 is a draft and 0.9.0 names no commit: not tags.
                .body("tags.name", equalTo(List.of("1.0.0")))
                .body("tags[0].ref", equalTo("refs/tags/1.0.0"))
                .body("tags[0].targetCommit", equalTo(OTHER_COMMIT))
                .body("pullRequests", nullValue());
        given().when()
                .get("/api/models/acme/tiny/refs?include_prs=1")
                .then()
                .statusCode(200)
                .body("pullRequests", equalTo(List.of()));
        assertThat(stub.calls("catalog").stream().map(DownstreamStub.Recorded::uri))
                .contains("/api/v1/listings/acme/tiny/versions?page=0&size=100");
    }

    @Test
    void refsOfAListingWithoutCommitsHaveNoBranch() {
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .get("/api/models/acme/empty/refs")
                .then()
                .statusCode(200)
                .body("branches", equalTo(List.of()))
                .body("tags", equalTo(List.of()));
    }

    @Test
    void refsOfAPrivateListingAreRepoNotFoundExceptForItsOwner() {
        given().when()
                .get("/api/models/acme/secret/refs")
                .then()
                .statusCode(401)
                .header("X-Error-Code", "RepoNotFound")
                .body("error", containsString("acme/secret"));
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/api/models/acme/secret/refs")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RepoNotFound");
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .get("/api/models/acme/secret/refs")
                .then()
                .statusCode(200)
                .body("branches[0].targetCommit", equalTo(COMMIT));
    }

    @Test
    void refsAreMetadataVisibleOnGatedAndPaidListingsAndToAReadToken() {
        String read = apiToken("[\"read\"]");
        for (String repo : List.of("acme/gated", "acme/paid")) {
            given().when()
                    .get("/api/models/" + repo + "/refs")
                    .then()
                    .statusCode(200)
                    .body("branches[0].targetCommit", equalTo(COMMIT));
            given().header("Authorization", "Bearer " + read)
                    .when()
                    .get("/api/models/" + repo + "/refs")
                    .then()
                    .statusCode(200)
                    .body("tags.name", equalTo(List.of("1.0.0")));
        }
    }

    // ---- auth-check ----

    @Test
    void authCheckOfAFreeListingIsOkForAnyoneWhoMayDownload() {
        given().when()
                .get("/api/models/acme/tiny/auth-check")
                .then()
                .statusCode(200)
                .body("id", equalTo("acme/tiny"))
                .body("access", equalTo("granted"));
        // A free listing without a gate protects no file: artifact-service is not asked about any.
        assertThat(stub.calls("artifact")).isEmpty();
        given().header("Authorization", "Bearer " + apiToken("[\"read\",\"download\"]"))
                .when()
                .get("/api/models/acme/tiny/auth-check")
                .then()
                .statusCode(200);
    }

    @Test
    void authCheckWithAReadOnlyApiTokenIsRefusedAsItsDownloadWouldBe() {
        int before = stub.calls("artifact").size();
        given().header("Authorization", "Bearer " + apiToken("[\"read\"]"))
                .when()
                .get("/api/models/acme/tiny/auth-check")
                .then()
                .statusCode(403)
                .contentType(ContentType.JSON)
                .header("X-Error-Message", containsString("'download' scope"))
                .body("error", containsString("'download' scope"));
        assertThat(stub.calls("artifact")).hasSize(before);
    }

    @Test
    void authCheckOfAGatedListingIsGatedRepoUntilTheTermsAreAccepted() {
        given().when()
                .get("/api/models/acme/gated/auth-check")
                .then()
                .statusCode(401)
                .header("X-Error-Code", "GatedRepo")
                .body("error", containsString("acme/gated"));
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/api/models/acme/gated/auth-check")
                .then()
                .statusCode(403)
                .header("X-Error-Code", "GatedRepo")
                .header("X-Error-Message", containsString("/api/v1/listings/acme/gated/terms/acceptance"))
                .body("error", containsString("/terms/acceptance"));
        // carol accepted the terms (artifact-service lets her download).
        given().header("Authorization", TestTokens.bearer("carol", "buyer"))
                .when()
                .get("/api/models/acme/gated/auth-check")
                .then()
                .statusCode(200);
        // The owner passes every rule.
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .get("/api/models/acme/gated/auth-check")
                .then()
                .statusCode(200);
    }

    @Test
    void authCheckOfAPaidListingIsGatedRepoNamingWhereToSubscribe() {
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/api/models/acme/paid/auth-check")
                .then()
                .statusCode(403)
                .header("X-Error-Code", "GatedRepo")
                .body("error", containsString("/listings/acme/paid/pricing"))
                .body("error", containsString("POST /api/v1/subscriptions"));
        given().when()
                .get("/api/models/acme/paid/auth-check")
                .then()
                .statusCode(401)
                .header("X-Error-Code", "GatedRepo");
        given().header("Authorization", TestTokens.bearer("carol", "buyer"))
                .when()
                .get("/api/models/acme/paid/auth-check")
                .then()
                .statusCode(200);
    }

    @Test
    void authCheckAsksArtifactServiceForTheListingsDecisionOnceAndReadsNoFile() {
        // acme/small is paid: artifact-service's access decision is the answer, whatever files the listing has.
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/api/models/acme/small/auth-check")
                .then()
                .statusCode(403)
                .header("X-Error-Code", "GatedRepo")
                .body("error", containsString("/listings/acme/small/pricing"));
        given().when()
                .get("/api/models/acme/small/auth-check")
                .then()
                .statusCode(401)
                .header("X-Error-Code", "GatedRepo");
        given().header("Authorization", TestTokens.bearer("carol", "buyer"))
                .when()
                .get("/api/models/acme/small/auth-check")
                .then()
                .statusCode(200)
                .body("access", equalTo("granted"));
        List<DownstreamStub.Recorded> carols = stub.calls("artifact").stream()
                .filter(c -> "carol".equals(subject(c)))
                .toList();
        assertThat(carols).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("GET");
            assertThat(c.uri()).isEqualTo("/api/v1/listings/acme/small/access");
        });
        assertThat(stub.calls("artifact").stream().map(DownstreamStub.Recorded::uri))
                .noneMatch(uri -> uri.contains("/files/") || uri.contains("/tree/"));
    }

    @Test
    void authCheckOfAPrivateOrMissingListingIsRepoNotFound() {
        for (String repo : List.of("acme/secret", "acme/nothing")) {
            given().when()
                    .get("/api/models/" + repo + "/auth-check")
                    .then()
                    .statusCode(401)
                    .header("X-Error-Code", "RepoNotFound");
            given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                    .when()
                    .get("/api/models/" + repo + "/auth-check")
                    .then()
                    .statusCode(404)
                    .header("X-Error-Code", "RepoNotFound")
                    .body("error", containsString(repo));
        }
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .get("/api/models/acme/secret/auth-check")
                .then()
                .statusCode(200);
    }

    @Test
    void authCheckOfAListingWithoutFilesIsOk() {
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .get("/api/models/acme/empty/auth-check")
                .then()
                .statusCode(200);
    }

    @Test
    void anInvalidTokenIsTheHubsInvalidCredentials() {
        for (String url : List.of("/api/models/acme/tiny/refs", "/api/models/acme/tiny/auth-check")) {
            Response response = given().header("Authorization", TestTokens.expiredBearer("bob"))
                    .when()
                    .get(url)
                    .andReturn();
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.header("X-Error-Message")).isEqualTo("Invalid credentials in Authorization header");
        }
        assertThat(stub.calls("catalog")).isEmpty();
    }

    private static String apiToken(String scopes) {
        String owner = "refs-" + java.util.UUID.randomUUID();
        return given().header("Authorization", TestTokens.bearer(owner, "buyer"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\"hub refs\",\"scopes\":" + scopes + "}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    // ---- the scripted services ----

    /** The subject of the forwarded bearer token, or null for an anonymous call. */
    static String subject(DownstreamStub.Recorded request) {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            return null;
        }
        String claims = new String(
                Base64.getUrlDecoder()
                        .decode(authorization.substring("Bearer ".length()).split("\\.")[1]),
                StandardCharsets.UTF_8);
        return new JsonObject(claims).getString("sub");
    }

    static String repoOf(String uri) {
        String rest = uri.substring("/api/v1/listings/".length());
        String[] parts = rest.split("[/?]");
        return parts[0] + "/" + parts[1];
    }

    static void catalog(DownstreamStub.Recorded request, HttpServerResponse response) {
        String repo = repoOf(request.uri());
        String who = subject(request);
        boolean visible = !repo.equals("acme/nothing") && (!repo.equals("acme/secret") || "alice".equals(who));
        if (!visible) {
            HubReadApiTest.problem(response, 404, "listing-not-found", "No listing " + repo);
            return;
        }
        if (request.uri().contains("/versions")) {
            JsonArray items = repo.equals("acme/empty")
                    ? new JsonArray()
                    : new JsonArray()
                            .add(version("2.0.0", "draft", COMMIT))
                            .add(version("1.0.0", "published", OTHER_COMMIT))
                            .add(version("0.9.0", "published", null));
            HubReadApiTest.json(
                    response,
                    new JsonObject()
                            .put("total", items.size())
                            .put("page", 0)
                            .put("size", 100)
                            .put("items", items));
            return;
        }
        HubReadApiTest.catalog(
                request,
                response,
                repo.equals("acme/paid") || repo.equals("acme/small") ? "paid" : "free",
                repo.equals("acme/gated"),
                repo.equals("acme/secret") ? "private" : "public");
    }

    static JsonObject version(String name, String status, String commit) {
        return new JsonObject()
                .put("listing", "acme/tiny")
                .put("version", name)
                .put("status", status)
                .put("commit", commit);
    }

    /** artifact-service: acme/empty has no commit; the others acme/tiny's files, downloads decided per caller. */
    static void artifact(DownstreamStub.Recorded request, HttpServerResponse response) {
        String repo = repoOf(request.uri());
        String who = subject(request);
        if (repo.equals("acme/nothing") || (repo.equals("acme/secret") && !"alice".equals(who))) {
            HubReadApiTest.problem(response, 404, "listing-not-found", "No listing " + repo);
            return;
        }
        boolean allowed = "alice".equals(who) || "carol".equals(who);
        if (request.uri().endsWith("/access")) {
            // The listing's decision, as for its weights: the owner and carol pass, others are refused on a gated
            // or paid listing; it needs no commit.
            if (allowed || !refused(repo, who, response)) {
                HubReadApiTest.json(
                        response, new JsonObject().put("listing", repo).put("weights", "granted"));
            }
            return;
        }
        if (repo.equals("acme/empty")) {
            HubReadApiTest.problem(response, 404, "revision-not-found", "acme/empty has no commit yet");
            return;
        }
        String uri = request.uri().replace("/api/v1/listings/" + repo + "/", "/api/v1/listings/acme/tiny/");
        boolean weights = uri.contains("/files/sub/dir/");
        if (weights && !allowed && refused(repo, who, response)) {
            return;
        }
        HubReadApiTest.artifact(
                new DownstreamStub.Recorded(request.method(), uri, request.headers(), request.body()), response);
    }

    /** Answers artifact-service's refusal of {@code who} on a gated or paid listing; false on any other listing. */
    static boolean refused(String repo, String who, HttpServerResponse response) {
        if (repo.equals("acme/gated")) {
            if (who != null) {
                response.putHeader(
                        "Link",
                        "<http://localhost/api/v1/listings/acme/gated/terms/acceptance>; rel=\"terms-acceptance\"");
            }
            HubReadApiTest.problem(
                    response,
                    who == null ? 401 : 403,
                    who == null ? "login-required" : "terms-not-accepted",
                    "acme/gated is gated: accept its terms with POST "
                            + "http://localhost/api/v1/listings/acme/gated/terms/acceptance, then retry.");
            return true;
        }
        if (repo.equals("acme/paid") || repo.equals("acme/small")) {
            if (who != null) {
                response.putHeader("Link", "<http://localhost/listings/" + repo + "/pricing>; rel=\"subscribe\"");
            }
            HubReadApiTest.problem(
                    response,
                    who == null ? 401 : 402,
                    who == null ? "login-required" : "subscription-required",
                    repo + " is a paid listing: subscribe at http://localhost/listings/" + repo + "/pricing");
            return true;
        }
        return false;
    }
}
