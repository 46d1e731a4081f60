package org.modelmarket.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.hub.resolve.ResolveRoutes;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The real {@code @huggingface/hub} client (2.17.5, installed by the Maven build with {@code npm ci} from
 * {@code src/test/hub-client}) against the gateway's Hub API, the services behind it scripted as in
 * {@link HubReadApiTest}: list with paging, model info, recursive tree, paths-info, a download checked by SHA-256, a
 * ranged read, a missing file, and a gated download refused with the client's error.
 */
@QuarkusTest
class HubJsClientTest {

    static final File CLIENT = new File("src/test/hub-client");

    @Inject
    DownstreamStub stub;

    @TestHTTPResource("/")
    URL base;

    @Inject
    ResolveRoutes routes;

    @AfterEach
    void relayAgain() {
        routes.downloads(GatewayConfig.Files.Mode.RELAY);
    }

    @BeforeEach
    void script() {
        HubReadApiTest.gateway = base.toString();
        routes.downloads(GatewayConfig.Files.Mode.RELAY);
        stub.reset();
        stub.answer("catalog", (request, response) -> {
            if (request.uri().equals("/api/v1/listings/acme/gated")) {
                HubReadApiTest.catalog(request, response, "free", true, "public");
            } else if (request.uri().equals("/api/v1/listings/acme/tiny")) {
                HubReadApiTest.catalog(request, response, "free", false, "public");
            } else {
                HubReadApiTest.problem(response, 404, "listing-not-found", "No listing");
            }
        });
        stub.answer("artifact", (request, response) -> {
            if (request.uri().startsWith("/api/v1/listings/acme/gated/files/")) {
                HubReadApiTest.problem(
                        response,
                        401,
                        "login-required",
                        "sub/dir/model.safetensors of acme/gated is only for users who accepted its terms: log in and "
                                + "send your bearer token.");
            } else {
                HubReadApiTest.artifact(request, response);
            }
        });
        stub.answer("search", (request, response) -> {
            boolean first = request.uri().contains("cursor=*");
            JsonArray items = new JsonArray();
            if (first) {
                items.add(item("acme/tiny", "1")).add(item("acme/tiny-2", "2"));
            } else {
                items.add(item("acme/tiny-3", "3"));
            }
            JsonObject page = new JsonObject().put("total", 3).put("size", 3).put("items", items);
            if (first) {
                page.put("nextCursor", "page-2");
            }
            response.setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .end(page.encode());
        });
    }

    static JsonObject item(String id, String n) {
        return new JsonObject()
                .put("id", id)
                .put("listingId", "6f1c2a52-0000-4000-8000-00000000000" + n)
                .put("task", "text-classification")
                .put("gated", false)
                .put("stats", new JsonObject().put("downloads", 10).put("likes", 1))
                .put("updatedAt", "2026-11-23T08:30:00Z");
    }

    @Test
    void theJsClientBrowsesDownloadsAndIsRefusedAGatedFile() throws Exception {
        JsonObject seen = run("acme/tiny", "acme/gated");

        JsonArray list = seen.getJsonArray("list");
        assertThat(list.stream().map(o -> ((JsonObject) o).getString("name")))
                .containsExactly("acme/tiny", "acme/tiny-2", "acme/tiny-3");
        assertThat(list.getJsonObject(0).getString("id")).isEqualTo("6f1c2a52-0000-4000-8000-000000000001");
        assertThat(list.getJsonObject(0).getString("updatedAt")).isEqualTo("2026-11-23T08:30:00.000Z");
        assertThat(stub.calls("search")).hasSize(3);
        assertThat(stub.calls("search").get(1).uri())
                .contains("cursor=page-2")
                .contains("q=tiny")
                .contains("vendor=acme");

        // additionalFields: the files (expand=siblings), the card and the commit, read by the client from the
        // answer; acme/tiny-2 (on the same page, but no longer visible in catalog) is left out.
        JsonArray expanded = seen.getJsonArray("listExpanded");
        assertThat(expanded).hasSize(1);
        JsonObject model = expanded.getJsonObject(0);
        assertThat(model.getString("name")).isEqualTo("acme/tiny");
        assertThat(model.getString("id")).isEqualTo("6f1c2a52-0000-4000-8000-000000000001");
        assertThat(model.getJsonArray("filePaths")).containsExactly("config.json", "sub/dir/model.safetensors");
        assertThat(model.getString("license")).isEqualTo("apache-2.0");
        assertThat(model.getString("sha")).isEqualTo(HubReadApiTest.COMMIT);
        assertThat(model.getString("library")).isEqualTo("transformers");
        assertThat(model.getJsonArray("tags")).contains("transformers", "text-classification");
        assertThat(model.getLong("downloads")).isEqualTo(10);
        String expandedQuery = stub.calls("search").get(2).uri();
        assertThat(expandedQuery).contains("size=1");

        JsonObject info = seen.getJsonObject("info");
        assertThat(info.getString("name")).isEqualTo("acme/tiny");
        assertThat(info.getString("sha")).isEqualTo(HubReadApiTest.COMMIT);
        assertThat(info.getString("task")).isEqualTo("text-classification");
        assertThat(info.getString("library")).isEqualTo("transformers");
        assertThat(info.getString("license")).isEqualTo("apache-2.0");

        JsonArray tree = seen.getJsonArray("tree");
        assertThat(tree.stream().map(o -> ((JsonObject) o).getString("path")))
                .containsExactly("config.json", "sub", "sub/dir", "sub/dir/model.safetensors");
        assertThat(tree.getJsonObject(3).getString("lfs")).isEqualTo(HubReadApiTest.WEIGHTS_SHA);
        assertThat(tree.getJsonObject(3).getLong("size")).isEqualTo(HubReadApiTest.WEIGHTS.length);

        assertThat(seen.getJsonArray("pathsInfo").getJsonObject(0).getString("commit"))
                .isEqualTo(HubReadApiTest.COMMIT);

        JsonObject download = seen.getJsonObject("download");
        assertThat(download.getLong("size")).isEqualTo(HubReadApiTest.WEIGHTS.length);
        assertThat(download.getString("sha256")).isEqualTo(HubReadApiTest.WEIGHTS_SHA);

        JsonObject range = seen.getJsonObject("range");
        assertThat(range.getLong("size")).isEqualTo(100);
        assertThat(range.getString("sha256"))
                .isEqualTo(Bytes.sha256(Arrays.copyOfRange(HubReadApiTest.WEIGHTS, 1000, 1100)));
        assertThat(stub.calls("artifact").stream().map(c -> c.header("Range")))
                .contains("bytes=0-0", "bytes=1000-1099");

        assertThat(seen.getString("missing")).isEqualTo("null");
        assertThat(seen.getJsonObject("exists").getBoolean("config")).isTrue();
        assertThat(seen.getJsonObject("exists").getBoolean("nope")).isFalse();

        JsonObject gated = seen.getJsonObject("gated");
        assertThat(gated.getInteger("statusCode")).isEqualTo(401);
        assertThat(gated.getString("error")).contains("acme/gated").contains("accepted its terms");
    }

    @Test
    void theJsClientDownloadsThroughTheSignedRedirectAndReadsSlicesAfterTheSignedUrlExpired() throws Exception {
        routes.downloads(GatewayConfig.Files.Mode.REDIRECT);
        // Each signed URL is good for one read: every later read through it is refused as expired, which is what a
        // 5-minute signed URL does to a WebBlob sliced later (without waiting for it).
        java.util.Set<String> used = java.util.concurrent.ConcurrentHashMap.newKeySet();
        stub.answer("artifact", (request, response) -> {
            if (request.uri().startsWith(HubReadApiTest.SIGNED) && !used.add(request.uri())) {
                HubReadApiTest.problem(response, 403, "invalid-signature", "The signed URL has expired.");
            } else if (request.uri().startsWith("/api/v1/listings/acme/gated/files/")) {
                HubReadApiTest.problem(response, 401, "login-required", "acme/gated: log in.");
            } else {
                HubReadApiTest.artifact(request, response);
            }
        });
        JsonObject seen = run("acme/tiny", "acme/gated");

        JsonObject download = seen.getJsonObject("download");
        assertThat(download.getLong("size")).as("%s", download).isEqualTo(HubReadApiTest.WEIGHTS.length);
        assertThat(download.getString("sha256")).isEqualTo(HubReadApiTest.WEIGHTS_SHA);
        JsonObject range = seen.getJsonObject("range");
        assertThat(range.getString("sha256"))
                .as("%s", range)
                .isEqualTo(Bytes.sha256(Arrays.copyOfRange(HubReadApiTest.WEIGHTS, 1000, 1100)));
        assertThat(seen.getString("missing")).isEqualTo("null");
        assertThat(seen.getJsonObject("exists").getBoolean("config")).isTrue();
        assertThat(seen.getJsonObject("exists").getBoolean("nope")).isFalse();
        assertThat(seen.getJsonObject("gated").getInteger("statusCode")).isEqualTo(401);

        List<DownstreamStub.Recorded> calls = stub.calls("artifact");
        List<DownstreamStub.Recorded> resolved = calls.stream()
                .filter(c -> c.method().equals("GET") && c.uri().contains("/files/sub/dir/model.safetensors"))
                .toList();
        // The client's one-byte probe is answered by the gateway, so the client keeps the resolve URL; the whole
        // read and the slice each resolve again and are redirected to a fresh signed URL.
        assertThat(resolved)
                .filteredOn(c -> "bytes=0-0".equals(c.header("Range")))
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.header("X-ModelMarket-Redirect")).isNull());
        assertThat(resolved)
                .filteredOn(c -> !"bytes=0-0".equals(c.header("Range")))
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.header("X-ModelMarket-Redirect")).isEqualTo("signed"));
        List<DownstreamStub.Recorded> signed = calls.stream()
                .filter(c -> c.uri().startsWith(HubReadApiTest.SIGNED))
                .toList();
        assertThat(signed.stream().map(c -> String.valueOf(c.header("Range"))))
                .contains("bytes=1000-1099", "null")
                .doesNotContain("bytes=0-0");
        assertThat(signed.stream().map(DownstreamStub.Recorded::uri)).doesNotHaveDuplicates();
    }

    @Test
    void theJsClientAuthenticatesWithAnApiToken() throws Exception {
        String owner = "js-" + java.util.UUID.randomUUID();
        String ownerBearer = org.modelmarket.stack.test.TestTokens.bearer(owner, "buyer");
        String downloads = apiToken(ownerBearer, "[\"read\",\"download\"]");
        String readOnly = apiToken(ownerBearer, "[\"read\"]");

        // read + download (what an HF read token can do): the client accepts the hf_ token and downloads; the
        // services are sent the gateway's JWT for the owner, never the secret.
        JsonObject seen = run("acme/tiny", "acme/gated", downloads);
        assertThat(seen.getJsonObject("download").getString("sha256")).isEqualTo(HubReadApiTest.WEIGHTS_SHA);
        assertThat(seen.getJsonObject("info").getString("sha")).isEqualTo(HubReadApiTest.COMMIT);
        assertThat(stub.calls("artifact")).isNotEmpty().allSatisfy(call -> {
            String authorization = call.header("Authorization");
            // The secret itself: "hf_" alone also turns up by chance in a JWT's base64url signature.
            assertThat(authorization).startsWith("Bearer ey").doesNotContain(downloads);
            String claims = new String(
                    java.util.Base64.getUrlDecoder().decode(authorization.split("\\.")[1]), StandardCharsets.UTF_8);
            assertThat(new JsonObject(claims).getString("sub")).isEqualTo(owner);
        });

        // read only: metadata yes, file bytes refused by the gateway with the missing scope named.
        JsonObject refused = run("acme/tiny", "acme/gated", readOnly);
        assertThat(refused.getJsonObject("info").getString("sha")).isEqualTo(HubReadApiTest.COMMIT);
        assertThat(refused.getJsonObject("download").getInteger("statusCode")).isEqualTo(403);
        assertThat(refused.getJsonObject("download").getString("error")).contains("'download' scope");
    }

    private static String apiToken(String ownerBearer, String scopes) {
        return io.restassured.RestAssured.given()
                .header("Authorization", ownerBearer)
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"name\":\"hub client\",\"scopes\":" + scopes + "}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    private JsonObject run(String repo, String gatedRepo) throws Exception {
        return run(repo, gatedRepo, null);
    }

    private JsonObject run(String repo, String gatedRepo, String accessToken) throws Exception {
        assertThat(new File(CLIENT, "node_modules/@huggingface/hub"))
                .as("the Maven build installs the client with npm ci (phase process-test-resources)")
                .exists();
        String hubUrl = base.toString().replaceAll("/$", "");
        List<String> command = new java.util.ArrayList<>(List.of("node", "hub-client.mjs", hubUrl, repo, gatedRepo));
        if (accessToken != null) {
            command.add(accessToken);
        }
        Process node = new ProcessBuilder(command)
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
