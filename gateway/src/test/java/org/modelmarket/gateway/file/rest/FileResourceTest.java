package org.modelmarket.gateway.file.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class FileResourceTest {

    private static final String FILES = "/api/v1/listings/acme/resnet-50/files";
    private static final String PROBLEM = "application/problem+json";

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void anonymousListsFiles() {
        stub.json("artifact", 200, """
                {"files":[{"path":"config.json","size":12,"sha256":"ab12"}]}""");

        given().when()
                .get(FILES)
                .then()
                .statusCode(200)
                .body("files[0].path", equalTo("config.json"))
                .body("files[0].size", equalTo(12));
        assertThat(stub.onlyCall("artifact").uri()).isEqualTo(FILES);
    }

    /** Larger than Quarkus' default body limit (10 MiB): the gateway pipes bodies instead of reading them. */
    @Test
    void vendorUploadIsStreamedThroughWithItsHeaders() {
        byte[] content = Bytes.random(12 * 1024 * 1024 + 17, 1);
        String sha256 = Bytes.sha256(content);
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Location", FILES + "/weights/model.bin")
                        .putHeader("ETag", '"' + Bytes.sha256(request.body().getBytes()) + '"')
                        .end(new JsonObject()
                                .put("path", "weights/model.bin")
                                .put("size", request.body().length())
                                .put("sha256", Bytes.sha256(request.body().getBytes()))
                                .encode()));
        String token = TestTokens.bearer("alice", "vendor");

        given().header("Authorization", token)
                .contentType("application/octet-stream")
                .body(content)
                .when()
                .put(FILES + "/weights/model.bin")
                .then()
                .statusCode(201)
                .header("Location", endsWith(FILES + "/weights/model.bin"))
                .header("ETag", '"' + sha256 + '"')
                .body("path", equalTo("weights/model.bin"))
                .body("size", equalTo(content.length))
                .body("sha256", equalTo(sha256));

        DownstreamStub.Recorded call = stub.onlyCall("artifact");
        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.uri()).isEqualTo(FILES + "/weights/model.bin");
        assertThat(call.header("Authorization")).isEqualTo(token);
        assertThat(call.header("Content-Type")).startsWith("application/octet-stream");
        assertThat(call.header("Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(call.body().getBytes()).isEqualTo(content);
    }

    @Test
    void anonymousMayNotUpload() {
        given().contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3})
                .when()
                .put(FILES + "/model.bin")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        assertThat(stub.calls("artifact")).isEmpty();
    }

    @Test
    void uploadRejectedByArtifactPassesThrough() {
        String forbidden = Listings.problem(403, "Forbidden", "alice does not own acme/resnet-50");
        stub.json("artifact", 403, forbidden);

        String body = given().header("Authorization", TestTokens.bearer("mallory", "vendor"))
                .contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3})
                .when()
                .put(FILES + "/model.bin")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .extract()
                .asString();
        assertThat(body).isEqualTo(forbidden);
    }

    @Test
    void anonymousDownloadStreamsContentAndChecksumHeaders() {
        byte[] content = Bytes.random(2 * 1024 * 1024 + 5, 2);
        String sha256 = Bytes.sha256(content);
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(200)
                        .putHeader("Content-Type", "application/octet-stream")
                        .putHeader("X-Checksum-Sha256", sha256)
                        .putHeader("ETag", '"' + sha256 + '"')
                        .end(Buffer.buffer(content)));

        Response response = given().when().get(FILES + "/weights/my model.bin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("X-Checksum-Sha256")).isEqualTo(sha256);
        assertThat(response.header("ETag")).isEqualTo('"' + sha256 + '"');
        assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(response.asByteArray()).isEqualTo(content);
        DownstreamStub.Recorded call = stub.onlyCall("artifact");
        assertThat(call.uri()).isEqualTo(FILES + "/weights/my%20model.bin");
        assertThat(call.header("Authorization")).isNull();
    }

    @Test
    void unchangedFileIsNotModified() {
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(304)
                        .putHeader("ETag", request.header("If-None-Match"))
                        .end());

        given().header("If-None-Match", "\"abc\"")
                .when()
                .get(FILES + "/model.bin")
                .then()
                .statusCode(304)
                .header("ETag", "\"abc\"");
        assertThat(stub.onlyCall("artifact").header("If-None-Match")).isEqualTo("\"abc\"");
    }

    @Test
    void unknownFilePassesThroughAs404() {
        String missing = Listings.problem(404, "Not found", "no file nope.bin");
        stub.json("artifact", 404, missing);

        String body = given().when()
                .get(FILES + "/nope.bin")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .extract()
                .asString();
        assertThat(body).isEqualTo(missing);
    }

    @Test
    void artifactDownIs503ForDownloadsAndUploads() {
        stub.down("artifact");

        given().when()
                .get(FILES + "/model.bin")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .body("detail", startsWith("The artifact service is unavailable; try again later."));
        given().when().get(FILES).then().statusCode(503).contentType(PROBLEM);
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3})
                .when()
                .put(FILES + "/model.bin")
                .then()
                .statusCode(503)
                .contentType(PROBLEM);
    }
}
