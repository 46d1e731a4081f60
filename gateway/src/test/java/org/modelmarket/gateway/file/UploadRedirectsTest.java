package org.modelmarket.gateway.file;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Uploads that ask for a redirect ({@code X-ModelMarket-Redirect: signed}) get a {@code 307} to the signed URL that
 * artifact-service makes for the caller, before the body is read; callers who may not upload get the refusal and no
 * URL; a real client (the JDK's) follows the redirect and its bytes reach artifact-service, not the gateway; uploads
 * without the header are relayed as before.
 */
@QuarkusTest
class UploadRedirectsTest {

    private static final String LISTING = "/api/v1/listings/acme/resnet-50";
    private static final String PROBLEM = "application/problem+json";
    private static final String ALICE = TestTokens.bearer("alice", "vendor");

    @Inject
    DownstreamStub stub;

    @TestHTTPResource("/")
    URI gateway;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void anOptedInUploadIsRedirectedToTheSignedUrlArtifactServiceMadeForTheCaller() {
        String signed = artifact() + "/api/v1/signed/tok.en";
        stub.json(
                "artifact",
                201,
                new JsonObject()
                        .put("url", signed)
                        .put("method", "PUT")
                        .put("expiresAt", "2026-11-30T05:00:00Z")
                        .encode());

        Response answer = given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .header("Authorization", ALICE)
                .header("X-ModelMarket-Redirect", "signed")
                .contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3})
                .put(LISTING + "/files/weights/my%20model.bin");
        assertThat(answer.statusCode()).isEqualTo(307);
        assertThat(answer.header("Location")).isEqualTo(signed);
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");

        // Artifact-service was asked to sign for this caller, with the decoded path and the size; no bytes went there.
        DownstreamStub.Recorded call = stub.onlyCall("artifact");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.uri()).isEqualTo(LISTING + "/upload-urls");
        assertThat(call.header("Authorization")).isEqualTo(ALICE);
        JsonObject asked = call.body().toJsonObject();
        assertThat(asked.getString("path")).isEqualTo("weights/my model.bin");
        assertThat(asked.getLong("size")).isEqualTo(3L);

        // A part of a multipart upload: the upload id and the part number are signed.
        stub.reset();
        stub.json("artifact", 201, new JsonObject().put("url", signed).encode());
        String upload = "0b7c9a52-6f4e-4a51-9d59-2d7a6c1f0e11";
        given().redirects()
                .follow(false)
                .header("Authorization", ALICE)
                .header("X-ModelMarket-Redirect", "signed")
                .header("X-Checksum-Sha256", "a".repeat(64))
                .contentType("application/octet-stream")
                .body(new byte[] {1})
                .put(LISTING + "/uploads/" + upload + "/parts/7")
                .then()
                .statusCode(307)
                .header("Location", signed);
        JsonObject part = stub.onlyCall("artifact").body().toJsonObject();
        assertThat(part.getString("upload")).isEqualTo(upload);
        assertThat(part.getInteger("part")).isEqualTo(7);
        assertThat(part.containsKey("path")).isFalse();
    }

    @Test
    void theJdkClientFollowsTheRedirectAndItsBytesGoStraightToArtifactService() throws Exception {
        byte[] content = Bytes.random(3 * 1024 * 1024 + 5, 7);
        String sha256 = Bytes.sha256(content);
        String signed = artifact() + "/api/v1/signed/tok.en";
        stub.answer("artifact", (request, response) -> {
            if (request.uri().endsWith("/upload-urls")) {
                response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("url", signed).encode());
            } else {
                response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("ETag", '"' + Bytes.sha256(request.body().getBytes()) + '"')
                        .end(new JsonObject()
                                .put("path", "model.bin")
                                .put("size", request.body().length())
                                .put("sha256", Bytes.sha256(request.body().getBytes()))
                                .encode());
            }
        });

        // HTTP/1.1: on a plain http:// URL the JDK client's default HTTP/2 tries an h2c upgrade, which cannot be
        // combined with Expect: 100-continue ("Unable to handle 101 while waiting for 100").
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(gateway.resolve(LISTING + "/files/model.bin"))
                        .header("Authorization", ALICE)
                        .header("X-ModelMarket-Redirect", "signed")
                        .header("Content-Type", "application/octet-stream")
                        .expectContinue(true)
                        .timeout(Duration.ofSeconds(60))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.uri().toString()).isEqualTo(signed);
        assertThat(new JsonObject(answer.body()).getString("sha256")).isEqualTo(sha256);
        List<DownstreamStub.Recorded> calls = stub.calls("artifact");
        assertThat(calls).extracting(DownstreamStub.Recorded::method).containsExactly("POST", "PUT");
        DownstreamStub.Recorded put = calls.get(1);
        assertThat(put.uri()).isEqualTo("/api/v1/signed/tok.en");
        assertThat(put.body().getBytes()).isEqualTo(content);
    }

    @Test
    void callersWhoMayNotUploadGetTheRefusalAndNoUrl() {
        // Anonymous: refused at the edge, artifact-service not asked.
        given().redirects()
                .follow(false)
                .header("X-ModelMarket-Redirect", "signed")
                .contentType("application/octet-stream")
                .body(new byte[] {1})
                .put(LISTING + "/files/model.bin")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer");
        assertThat(stub.calls("artifact")).isEmpty();

        // An API token without publish: refused at the edge.
        String readOnly = apiToken("[\"read\",\"download\"]");
        given().redirects()
                .follow(false)
                .header("Authorization", "Bearer " + readOnly)
                .header("X-ModelMarket-Redirect", "signed")
                .contentType("application/octet-stream")
                .body(new byte[] {1})
                .put(LISTING + "/files/model.bin")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        assertThat(stub.calls("artifact")).isEmpty();

        // Another vendor: artifact-service refuses to sign, its problem comes back unchanged, and no Location.
        String notOwner = Listings.problem(403, "Forbidden", "mallory is not an owner of acme/resnet-50");
        stub.json("artifact", 403, notOwner);
        Response refused = given().redirects()
                .follow(false)
                .header("Authorization", TestTokens.bearer("mallory", "vendor"))
                .header("X-ModelMarket-Redirect", "signed")
                .contentType("application/octet-stream")
                .body(new byte[] {1, 2})
                .put(LISTING + "/files/model.bin");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith(PROBLEM);
        assertThat(refused.asString()).isEqualTo(notOwner);
        assertThat(refused.header("Location")).isNull();
        assertThat(stub.onlyCall("artifact").uri()).isEqualTo(LISTING + "/upload-urls");

        // artifact-service failing: a 503 problem, not a redirect.
        stub.reset();
        stub.json("artifact", 500, Listings.problem(500, "Internal", "boom"));
        given().redirects()
                .follow(false)
                .header("Authorization", ALICE)
                .header("X-ModelMarket-Redirect", "signed")
                .contentType("application/octet-stream")
                .body(new byte[] {1})
                .put(LISTING + "/files/model.bin")
                .then()
                .statusCode(503)
                .contentType(PROBLEM)
                .header("Retry-After", "5");
    }

    @Test
    void withoutTheHeaderOrWhenTheUrlLeadsBackHereTheUploadIsRelayed() {
        stub.answer("artifact", (request, response) -> {
            if (request.uri().endsWith("/upload-urls")) {
                // No address of its own configured: the signed URL is on the public URL, i.e. this gateway.
                response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put(
                                        "url",
                                        "http://" + gateway.getHost() + ":" + gateway.getPort()
                                                + "/api/v1/signed/tok.en")
                                .encode());
            } else {
                response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put("size", request.body().length())
                                .encode());
            }
        });
        given().header("Authorization", ALICE)
                .contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3})
                .put(LISTING + "/files/model.bin")
                .then()
                .statusCode(201)
                .body("size", equalTo(3));
        assertThat(stub.onlyCall("artifact").method()).isEqualTo("PUT");

        stub.reset();
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(request.uri().endsWith("/upload-urls") ? 201 : 201)
                        .putHeader("Content-Type", "application/json")
                        .end(
                                request.uri().endsWith("/upload-urls")
                                        ? new JsonObject()
                                                .put(
                                                        "url",
                                                        "http://" + gateway.getHost() + ":" + gateway.getPort()
                                                                + "/api/v1/signed/tok.en")
                                                .encode()
                                        : new JsonObject()
                                                .put("size", request.body().length())
                                                .encode()));
        given().redirects()
                .follow(false)
                .header("Authorization", ALICE)
                .header("X-ModelMarket-Redirect", "signed")
                .contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3, 4})
                .put(LISTING + "/files/model.bin")
                .then()
                .statusCode(201)
                .body("size", equalTo(4));
        assertThat(stub.calls("artifact"))
                .extracting(DownstreamStub.Recorded::method)
                .containsExactly("POST", "PUT");
        assertThat(stub.calls("artifact").get(1).uri()).isEqualTo(LISTING + "/files/model.bin");
    }

    private static String artifact() {
        return "http://127.0.0.1:"
                + ConfigProvider.getConfig().getValue("modelmarket.test.stub-port.artifact", Integer.class);
    }

    private static String apiToken(String scopes) {
        return given().header("Authorization", TestTokens.bearer("uploader-" + java.util.UUID.randomUUID(), "vendor"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\"upload redirects\",\"scopes\":" + scopes + "}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }
}
