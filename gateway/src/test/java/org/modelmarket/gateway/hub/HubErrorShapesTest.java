package org.modelmarket.gateway.hub;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * Every error of every Hub route in the Hub's shape ({@code X-Error-Message}, a JSON {@code error} equal to it, the
 * {@code X-Error-Code} clients branch on where there is one), including the errors the REST layer makes itself
 * (routing's 404/405/415, an unreadable body, a rejected token, a failed service); and the routes of {@code /api/v1}
 * the Hub package serves (the lockfile) in problem+json. One table, all mismatches reported at once.
 */
@QuarkusTest
class HubErrorShapesTest {

    @Inject
    DownstreamStub stub;

    enum Auth {
        NONE,
        EXPIRED,
        BUYER,
        READ_TOKEN
    }

    /** One request and what must come back: status, shape ({@code hub} or {@code problem}) and the Hub error code. */
    record Case(
            String method,
            String path,
            Auth auth,
            String contentType,
            String body,
            int status,
            String shape,
            String code) {

        @Override
        public String toString() {
            return method + " " + path + " (" + auth + ")";
        }
    }

    static final String JSON = "application/json";

    static final List<Case> CASES = List.of(
            // ---- read API ----
            new Case("GET", "/api/models?limit=abc", Auth.NONE, null, null, 400, "hub", null),
            new Case("GET", "/api/models?expand=bogus", Auth.NONE, null, null, 400, "hub", null),
            new Case("GET", "/api/models/acme/tiny", Auth.EXPIRED, null, null, 401, "hub", null),
            new Case("GET", "/api/models/acme/nothing", Auth.NONE, null, null, 401, "hub", "RepoNotFound"),
            new Case("GET", "/api/models/acme/nothing", Auth.BUYER, null, null, 404, "hub", "RepoNotFound"),
            new Case(
                    "GET",
                    "/api/models/acme/tiny/revision/nope",
                    Auth.NONE,
                    null,
                    null,
                    404,
                    "hub",
                    "RevisionNotFound"),
            new Case(
                    "GET",
                    "/api/models/acme/tiny/tree/main/absent",
                    Auth.NONE,
                    null,
                    null,
                    404,
                    "hub",
                    "EntryNotFound"),
            new Case("GET", "/api/models/acme/tiny/tree/main?cursor=x", Auth.NONE, null, null, 400, "hub", null),
            new Case("GET", "/api/models/acme/broken/tree/main", Auth.NONE, null, null, 502, "hub", null),
            new Case("POST", "/api/models/acme/tiny/paths-info/main", Auth.NONE, JSON, "{", 400, "hub", null),
            new Case(
                    "POST",
                    "/api/models/acme/tiny/paths-info/main",
                    Auth.NONE,
                    JSON,
                    "{\"paths\":3}",
                    400,
                    "hub",
                    null),
            new Case("POST", "/api/models/acme/tiny/paths-info/main", Auth.NONE, "text/plain", "x", 415, "hub", null),
            new Case("DELETE", "/api/models/acme/tiny", Auth.BUYER, null, null, 405, "hub", null),
            new Case("GET", "/api/models/acme/tiny/no/such/route", Auth.NONE, null, null, 404, "hub", null),
            new Case("GET", "/api/models/acme/tiny/refs", Auth.EXPIRED, null, null, 401, "hub", null),
            new Case("GET", "/api/models/acme/tiny/auth-check", Auth.EXPIRED, null, null, 401, "hub", null),
            new Case("GET", "/api/models/acme/tiny/auth-check", Auth.READ_TOKEN, null, null, 403, "hub", null),
            new Case("GET", "/api/whoami-v2", Auth.NONE, null, null, 401, "hub", null),
            new Case("GET", "/api/whoami-v2", Auth.EXPIRED, null, null, 401, "hub", null),
            // ---- downloads (Vert.x routes) ----
            new Case("GET", "/acme/tiny/resolve/main/absent.bin", Auth.NONE, null, null, 404, "hub", "EntryNotFound"),
            new Case("GET", "/acme/tiny/resolve/main/config.json", Auth.EXPIRED, null, null, 401, "hub", null),
            new Case("GET", "/acme/nothing/raw/main/config.json", Auth.BUYER, null, null, 404, "hub", "RepoNotFound"),
            // ---- write API ----
            new Case("POST", "/api/repos/create", Auth.NONE, JSON, "{\"name\":\"x\"}", 401, "hub", null),
            new Case("POST", "/api/repos/create", Auth.EXPIRED, JSON, "{\"name\":\"x\"}", 401, "hub", null),
            new Case("POST", "/api/repos/create", Auth.READ_TOKEN, JSON, "{\"name\":\"x\"}", 403, "hub", null),
            new Case("GET", "/api/repos/create", Auth.BUYER, null, null, 405, "hub", null),
            new Case("POST", "/api/models/acme/tiny/preupload/main", Auth.EXPIRED, JSON, "{}", 401, "hub", null),
            new Case(
                    "POST",
                    "/api/models/acme/tiny/commit/main",
                    Auth.NONE,
                    "application/x-ndjson",
                    "{}",
                    401,
                    "hub",
                    null),
            new Case("POST", "/acme/tiny.git/info/lfs/objects/batch", Auth.NONE, JSON, "{}", 401, "hub", null),
            new Case("PUT", "/acme/tiny.git/info/lfs/objects/not-a-token", Auth.NONE, null, "x", 403, "hub", null),
            // ---- the lockfile, a route of /api/v1 ----
            new Case("GET", "/api/v1/listings/acme/tiny/lock?format=yaml", Auth.NONE, null, null, 400, "problem", null),
            new Case("GET", "/api/v1/listings/acme/tiny/lock?rev=nope", Auth.NONE, null, null, 404, "problem", null),
            new Case("GET", "/api/v1/listings/acme/nothing/lock", Auth.NONE, null, null, 404, "problem", null),
            new Case("GET", "/api/v1/listings/acme/tiny/lock", Auth.EXPIRED, null, null, 401, "problem", null),
            new Case("GET", "/api/v1/listings/acme/broken/lock", Auth.NONE, null, null, 502, "problem", null));

    @BeforeEach
    void script() {
        stub.reset();
        stub.answer("catalog", (request, response) -> {
            if (request.uri().startsWith("/api/v1/listings/acme/tiny")
                    || request.uri().startsWith("/api/v1/listings/acme/broken")) {
                HubReadApiTest.catalog(request, response, "free", false, "public");
            } else {
                HubReadApiTest.problem(response, 404, "listing-not-found", "No listing");
            }
        });
        stub.answer("artifact", (request, response) -> {
            if (request.uri().startsWith("/api/v1/listings/acme/broken/")) {
                response.setStatusCode(500).end();
            } else {
                HubReadApiTest.artifact(request, response);
            }
        });
    }

    @Test
    void everyHubRouteAnswersItsErrorsInTheHubsShapeAndTheLockfileInProblemJson() {
        String readToken = apiToken("[\"read\"]");
        List<String> wrong = new ArrayList<>();
        for (Case c : CASES) {
            RequestSpecification request = given().urlEncodingEnabled(false);
            switch (c.auth()) {
                case EXPIRED -> request.header("Authorization", TestTokens.expiredBearer("bob"));
                case BUYER -> request.header("Authorization", TestTokens.bearer("bob", "buyer"));
                case READ_TOKEN -> request.header("Authorization", "Bearer " + readToken);
                case NONE -> {}
            }
            if (c.body() != null) {
                request.body(c.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (c.contentType() != null) {
                    request.contentType(c.contentType());
                }
            }
            Response response = request.when().request(c.method(), c.path()).andReturn();
            String problem = "problem".equals(c.shape()) ? problemShape(response) : hubShape(c, response);
            if (response.statusCode() != c.status() || problem != null) {
                wrong.add(c + ": " + response.statusCode() + " " + response.contentType() + " "
                        + response.headers().getValue("X-Error-Code") + " " + response.asString()
                        + (problem == null ? "" : " -> " + problem));
            }
        }
        assertThat(wrong).as("answers not in their surface's shape").isEmpty();
    }

    private static String hubShape(Case c, Response response) {
        if (!response.contentType().startsWith("application/json")) {
            return "not application/json";
        }
        JsonObject body;
        try {
            body = new JsonObject(response.asString());
        } catch (RuntimeException e) {
            return "not a JSON object";
        }
        if (body.getValue("error") == null || body.containsKey("type")) {
            return "no error field, or a problem";
        }
        if (!body.getString("error").equals(response.header("X-Error-Message"))) {
            return "X-Error-Message differs from error";
        }
        if (c.code() == null
                ? response.header("X-Error-Code") != null
                : !c.code().equals(response.header("X-Error-Code"))) {
            return "X-Error-Code " + response.header("X-Error-Code") + " instead of " + c.code();
        }
        if (response.statusCode() == 401
                && c.code() == null
                && !HubError.INVALID_CREDENTIALS.equals(response.header("X-Error-Message"))) {
            return "a 401 without the Hub's invalid-credentials message";
        }
        if (response.statusCode() == 405 && response.header("Allow") == null) {
            return "a 405 without Allow";
        }
        return null;
    }

    private static String problemShape(Response response) {
        if (!response.contentType().startsWith("application/problem+json")) {
            return "not problem+json";
        }
        JsonObject body = new JsonObject(response.asString());
        if (body.getInteger("status", 0) != response.statusCode()
                || !body.getString("type", "").startsWith("https://modelmarket.org/problems/")) {
            return "status or type";
        }
        if (response.header("X-Error-Code") != null || response.header("X-Error-Message") != null) {
            return "Hub headers on a problem";
        }
        if (response.statusCode() == 401 && response.header("WWW-Authenticate") == null) {
            return "401 without WWW-Authenticate";
        }
        return null;
    }

    private static String apiToken(String scopes) {
        return given().header("Authorization", TestTokens.bearer("shapes-" + java.util.UUID.randomUUID(), "buyer"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\"shapes\",\"scopes\":" + scopes + "}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }
}
