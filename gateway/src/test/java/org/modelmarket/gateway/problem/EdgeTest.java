package org.modelmarket.gateway.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** What every caller sees at the edge, whichever route: problem bodies for routing errors, docs and health. */
@QuarkusTest
class EdgeTest {

    @Test
    void unknownApiRouteIsAProblem() {
        given().when()
                .get("/api/v1/nothing-here")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(404))
                .body("instance", equalTo("/api/v1/nothing-here"));
    }

    @Test
    void wrongMethodIsAProblem() {
        given().when()
                .delete("/api/v1/search")
                .then()
                .statusCode(405)
                .contentType(Problem.MEDIA_TYPE)
                .header("Allow", "GET, HEAD")
                .body("status", equalTo(405));
    }

    /** Quarkus REST's own 405 has no Allow; the gateway names the methods of its own resources too (RFC 9110). */
    @Test
    void wrongMethodOnAnOwnResourceNamesTheAllowedMethods() {
        given().header("Authorization", TestTokens.bearer("carol", "buyer"))
                .when()
                .post("/api/v1/listings/acme/resnet-50/page")
                .then()
                .statusCode(405)
                .contentType(Problem.MEDIA_TYPE)
                .header("Allow", "GET, HEAD")
                .body("detail", equalTo("This resource does not allow POST."));
        given().header("Authorization", TestTokens.bearer("carol", "buyer"))
                .when()
                .put("/api/v1/tokens")
                .then()
                .statusCode(405)
                .contentType(Problem.MEDIA_TYPE)
                .header("Allow", "GET, HEAD, POST");
        given().when().delete("/api/whoami-v2").then().statusCode(405).header("Allow", "GET, HEAD");
    }

    @Test
    void openApiDescribesThePublicRoutes() {
        given().queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/api/v1/listings/{namespace}/{name}/files/{path}"))
                .body(containsString("/api/v1/entitlements/{namespace}/{name}"))
                .body(containsString("/api/v1/listings/{namespace}/{name}/versions/{version}/publish"))
                .body(containsString("/api/v1/search/similar/{namespace}/{name}"))
                .body(containsString("Create a vendor namespace"))
                .body(not(containsString("/api/v1/{path}")));
    }

    @Test
    void readinessIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
