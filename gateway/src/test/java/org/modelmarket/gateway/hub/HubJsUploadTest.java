package org.modelmarket.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The real {@code @huggingface/hub} client (2.17.5) publishing through the gateway's Hub write API: {@code createRepo}
 * (a new repo, then an existing one: 409) and {@code uploadFiles} of a README (inline), a small weights file (LFS, one
 * PUT) and a file above the multipart threshold (LFS parts, sent in parallel, then the completion), in one commit;
 * the services behind it scripted with state ({@link FakeRepository}), which then holds exactly the client's bytes.
 * The client only takes {@code hf_} tokens: it gets real gateway API tokens ({@code POST /api/v1/tokens}), a
 * {@code publish} one that uploads and a {@code read} one that is refused. The same client against the real services
 * is {@code deploy/launcher}'s {@code MarketplaceIT} ({@code HubJsClientOnTheStack}).
 */
@QuarkusTest
class HubJsUploadTest {

    static final File CLIENT = new File("src/test/hub-client");

    @Inject
    DownstreamStub stub;

    @TestHTTPResource("/")
    URL base;

    FakeRepository repo;

    @BeforeEach
    void script() {
        stub.reset();
        repo = new FakeRepository();
        stub.answer("catalog", (request, response) -> repo.catalog(request, response));
        stub.answer("artifact", (request, response) -> repo.artifact(request, response));
    }

    @Test
    void theJsClientCreatesARepoAndUploadsFilesBasicAndMultipart() throws Exception {
        String publish = apiToken(TestTokens.bearer("alice", "vendor"), "[\"read\",\"publish\"]");
        JsonObject seen = run("acme/fresh", "acme/tiny", publish);

        assertThat(seen.getJsonObject("created").getString("repoUrl")).endsWith("/acme/fresh");
        assertThat(seen.getJsonObject("again").getInteger("statusCode")).isEqualTo(409);

        JsonObject upload = seen.getJsonObject("upload");
        assertThat(upload.getString("oid")).as("upload: %s", upload).isEqualTo(repo.head);
        assertThat(upload.getString("url")).endsWith("/acme/tiny/commit/" + repo.head);
        assertThat(repo.files).containsOnlyKeys("README.md", "model.safetensors", "sub/big.bin");
        JsonObject sha256 = seen.getJsonObject("sha256");
        repo.files.forEach(
                (path, content) -> assertThat(Bytes.sha256(content)).as(path).isEqualTo(sha256.getString(path)));
        assertThat(repo.files.get("sub/big.bin")).hasSize(3 * 102_400 + 4_321);

        // README inline, the two others by LFS: one single-part upload and one of four parts.
        List<String> partPuts = new ArrayList<>();
        stub.calls("artifact").stream()
                .filter(c -> c.method().equals("PUT"))
                .forEach(c -> partPuts.add(c.uri().replaceAll(".*/parts/", "part ")));
        assertThat(partPuts).hasSize(5);
        assertThat(repo.completed).hasSize(2);
        JsonObject commit = stub.calls("artifact").stream()
                .filter(c -> c.method().equals("POST") && c.uri().endsWith("/commits"))
                .findFirst()
                .orElseThrow()
                .body()
                .toJsonObject();
        assertThat(commit.getString("message")).isEqualTo("Upload with the JS client");
        assertThat(commit.getJsonArray("operations").stream()
                        .map(o -> ((JsonObject) o).containsKey("content") ? "inline" : "lfs")
                        .toList())
                .containsExactlyInAnyOrder("inline", "lfs", "lfs");
        // The services saw the gateway's JWT for alice, never the hf_ secret.
        assertThat(stub.calls("artifact"))
                .isNotEmpty()
                .allSatisfy(call -> assertThat(call.header("Authorization"))
                        .startsWith("Bearer ey")
                        // The secret itself: "hf_" alone also turns up by chance in a JWT's base64url signature.
                        .doesNotContain(publish));
    }

    @Test
    void aReadTokenCannotPublish() throws Exception {
        String read = apiToken(TestTokens.bearer("alice", "vendor"), "[\"read\"]");
        JsonObject seen = run("acme/fresh", "acme/tiny", read);

        assertThat(seen.getJsonObject("created").getInteger("statusCode")).isEqualTo(403);
        assertThat(seen.getJsonObject("created").getString("error")).contains("'publish'");
        assertThat(seen.getJsonObject("upload").getInteger("statusCode")).isEqualTo(403);
        assertThat(repo.files).isEmpty();
        // Nothing reached a service on alice's behalf (a late retry of an earlier test class's call, made with
        // another caller's token, may land in the stub meanwhile: the gRPC tests leave calls that never answer).
        assertThat(stub.calls("catalog")).noneMatch(HubJsUploadTest::onAlicesBehalf);
        assertThat(stub.calls("artifact")).noneMatch(HubJsUploadTest::onAlicesBehalf);
    }

    /** Whether the service call carries a token (the gateway's JWT or a bearer) whose subject is alice. */
    private static boolean onAlicesBehalf(DownstreamStub.Recorded call) {
        String authorization = call.header("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            return true;
        }
        String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return new JsonObject(claims).getString("sub", "").equals("alice");
    }

    private static String apiToken(String ownerBearer, String scopes) {
        return io.restassured.RestAssured.given()
                .header("Authorization", ownerBearer)
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"name\":\"hub upload\",\"scopes\":" + scopes + "}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    private JsonObject run(String newRepo, String repoName, String token) throws Exception {
        assertThat(new File(CLIENT, "node_modules/@huggingface/hub"))
                .as("the Maven build installs the client with npm ci (phase process-test-resources)")
                .exists();
        String hubUrl = base.toString().replaceAll("/$", "");
        Process node = new ProcessBuilder(List.of("node", "hub-upload.mjs", hubUrl, newRepo, repoName, token))
                .directory(CLIENT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        boolean done = node.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(done).as("the client finished").isTrue();
        assertThat(node.exitValue()).as("client output: %s", output).isZero();
        String[] lines = output.split("\n");
        return new JsonObject(lines[lines.length - 1]);
    }
}
