package org.modelmarket.gateway.token;

import static io.restassured.RestAssured.given;

import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/** Test helpers: create an API token through the owner endpoint, read a forwarded JWT's claims. */
public final class ApiTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiTokens() {}

    /** Creates a token for the owner of {@code ownerBearer} and returns its secret. */
    public static String create(String ownerBearer, String body) {
        return given().header("Authorization", ownerBearer)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    /** The id of the token created by {@code body}, with its secret. */
    static Map<String, String> createWithId(String ownerBearer, String body) {
        var created = given().header("Authorization", ownerBearer)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract();
        return Map.of("id", created.path("id"), "token", created.path("token"));
    }

    /** The claims of a JWT from an {@code Authorization: Bearer <jwt>} value (signature not checked here). */
    static JsonNode claims(String authorization) throws Exception {
        String jwt = authorization.substring("Bearer ".length());
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
