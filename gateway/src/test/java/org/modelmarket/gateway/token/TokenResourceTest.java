package org.modelmarket.gateway.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code /api/v1/tokens} on the gateway's real PostgreSQL: create, list, revoke, bad input, who may call. */
@QuarkusTest
class TokenResourceTest {

    private static final String PATH = "/api/v1/tokens";

    @Inject
    Pool pool;

    private static String owner() {
        // A fresh owner per test: lists and limits are per owner.
        return "owner-" + UUID.randomUUID();
    }

    @Test
    void createShowsTheSecretOnceAndStoresOnlyItsHash() {
        String owner = owner();
        String bearer = TestTokens.bearerOf(owner, List.of("acme"), "buyer", "vendor");
        var created = given().header("Authorization", bearer)
                .contentType(ContentType.JSON)
                .body("""
                        {"name":"ci upload","scopes":["read","publish"],"namespace":"acme",
                         "expiresAt":"%s"}""".formatted(Instant.now().plus(Duration.ofDays(30))))
                .when()
                .post(PATH)
                .then()
                .statusCode(201)
                .body("name", equalTo("ci upload"))
                .body("scopes", equalTo(List.of("read", "publish")))
                .body("namespace", equalTo("acme"))
                .body("status", equalTo("active"))
                .extract();
        String id = created.path("id");
        String secret = created.path("token");
        assertThat(created.header("Location")).endsWith(PATH + "/" + id);
        assertThat(secret).matches("hf_[0-9A-Za-z]{40}");

        // Listed with metadata only, never the secret.
        given().header("Authorization", bearer)
                .when()
                .get(PATH)
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo(id))
                .body("[0].token", nullValue())
                .body("[0].lastUsedAt", nullValue())
                .body("[0].expiresAt", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", bearer)
                .when()
                .get(PATH + "/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("ci upload"))
                .body("token", nullValue());

        // The row holds the SHA-256 of the secret and nothing that contains it.
        Row row = pool.preparedQuery("SELECT * FROM api_token WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id)))
                .await()
                .indefinitely()
                .iterator()
                .next();
        assertThat(row.getBuffer("secret_hash").getBytes()).isEqualTo(Secrets.hash(secret));
        assertThat(row.getString("owner_subject")).isEqualTo(owner);
        assertThat(List.of(row.getArrayOfStrings("owner_roles"))).containsExactlyInAnyOrder("buyer", "vendor");
        assertThat(List.of(row.getArrayOfStrings("owner_namespaces"))).containsExactly("acme");
        for (int i = 0; i < row.size(); i++) {
            assertThat(String.valueOf(row.getValue(i))).doesNotContain(secret.substring(3));
        }
    }

    @Test
    void badInputIsAProblemAndWritesNothing() {
        String owner = owner();
        String bearer = TestTokens.bearer(owner, "buyer");
        Map<String, String> cases = Map.of(
                "{\"name\":\"x\",\"scopes\":[\"read\",\"delete\"]}",
                "scopes",
                "{\"name\":\"x\",\"scopes\":[]}",
                "scopes",
                "{\"name\":\"x\"}",
                "scopes",
                "{\"name\":\"  \",\"scopes\":[\"read\"]}",
                "name",
                "{\"name\":\"" + "n".repeat(101) + "\",\"scopes\":[\"read\"]}",
                "name",
                "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}",
                "expiresAt",
                "{\"name\":\"x\",\"scopes\":[\"read\"],\"listings\":[\"acme\"]}",
                "listings",
                "{\"name\":\"x\",\"scopes\":[\"read\"],\"namespace\":\"acme\",\"listings\":[\"other/model\"]}",
                "listings",
                "{\"name\":\"x\",\"scopes\":[\"read\"],\"namespace\":\"Not A Namespace\"}",
                "namespace");
        cases.forEach((body, field) -> given().header("Authorization", bearer)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(PATH)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("errors.field", hasItem(field)));
        // Unreadable JSON and a wrong type are 400 problems too.
        given().header("Authorization", bearer)
                .contentType(ContentType.JSON)
                .body("{\"name\":")
                .when()
                .post(PATH)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // A wrong type says what the field must be; an expiry beyond what the database holds is refused.
        Map<String, String> messages = Map.of(
                "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"tomorrow\"}",
                "must be a date-time (RFC 3339, e.g. 2026-12-01T00:00:00Z)",
                "{\"name\":\"x\",\"scopes\":\"read\"}",
                "must be an array",
                "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}",
                "must be before the year 10000");
        messages.forEach((body, message) -> given().header("Authorization", bearer)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(PATH)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.size()", equalTo(1))
                .body("errors[0].message", equalTo(message)));

        given().header("Authorization", bearer)
                .when()
                .get(PATH)
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void onlyAdminsMayCreateAdminTokens() {
        String vendor = owner();
        given().header("Authorization", TestTokens.bearer(vendor, "vendor"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"scopes\":[\"admin\"]}")
                .when()
                .post(PATH)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("Only administrators may create tokens with the admin scope."));
        given().header("Authorization", TestTokens.bearer(vendor, "vendor"))
                .when()
                .get(PATH)
                .then()
                .body("size()", equalTo(0));

        ApiTokens.create(TestTokens.bearer(owner(), "admin"), "{\"name\":\"ops\",\"scopes\":[\"read\",\"admin\"]}");
    }

    @Test
    void whoMayCallTheOwnerEndpoints() {
        String owner = owner();
        String bearer = TestTokens.bearer(owner, "buyer");
        var token = ApiTokens.createWithId(
                bearer, "{\"name\":\"all\",\"scopes\":[\"read\",\"download\",\"publish\",\"meter\"]}");

        // Anonymous and invalid Keycloak tokens: 401.
        given().when().get(PATH).then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"scopes\":[\"read\"]}")
                .when()
                .post(PATH)
                .then()
                .statusCode(401);
        given().header("Authorization", TestTokens.expiredBearer(owner, "buyer"))
                .when()
                .get(PATH)
                .then()
                .statusCode(401);
        // An API token, whatever its scopes, cannot mint, list or revoke tokens.
        String hf = "Bearer " + token.get("token");
        given().header("Authorization", hf)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"child\",\"scopes\":[\"read\"]}")
                .when()
                .post(PATH)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("cannot be used for managing API tokens"));
        given().header("Authorization", hf).when().get(PATH).then().statusCode(403);
        given().header("Authorization", hf)
                .when()
                .delete(PATH + "/" + token.get("id"))
                .then()
                .statusCode(403);
        // Another owner sees nothing of it and cannot revoke it.
        String other = TestTokens.bearer(owner(), "buyer");
        given().header("Authorization", other).when().get(PATH).then().body("size()", equalTo(0));
        given().header("Authorization", other)
                .when()
                .get(PATH + "/" + token.get("id"))
                .then()
                .statusCode(404);
        given().header("Authorization", other)
                .when()
                .delete(PATH + "/" + token.get("id"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");

        given().header("Authorization", bearer)
                .when()
                .get(PATH + "/" + token.get("id"))
                .then()
                .body("status", equalTo("active"))
                .body("scopes", equalTo(List.of("read", "download", "publish", "meter")));
    }

    @Test
    void revokeIsIdempotentAndShowsInTheList() {
        String bearer = TestTokens.bearer(owner(), "buyer");
        var token = ApiTokens.createWithId(bearer, "{\"name\":\"old\",\"scopes\":[\"read\"]}");

        given().header("Authorization", bearer)
                .when()
                .delete(PATH + "/" + token.get("id"))
                .then()
                .statusCode(204);
        given().header("Authorization", bearer)
                .when()
                .delete(PATH + "/" + token.get("id"))
                .then()
                .statusCode(204);
        given().header("Authorization", bearer)
                .when()
                .get(PATH)
                .then()
                .body("[0].status", equalTo("revoked"))
                .body("[0].revokedAt", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", bearer)
                .when()
                .delete(PATH + "/" + UUID.randomUUID())
                .then()
                .statusCode(404);
        given().header("Authorization", bearer)
                .when()
                .delete(PATH + "/not-a-uuid")
                .then()
                .statusCode(404);
    }
}
