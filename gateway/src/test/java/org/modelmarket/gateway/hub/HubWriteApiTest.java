package org.modelmarket.gateway.hub;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * The Hub write API at HTTP level (HF-PROTOCOL W2, §3.1-§3.5, W5), with the requests the real clients send, against a
 * stateful scripted catalog and artifact-service ({@link FakeRepository}): create_repo, preupload, the LFS batch API
 * with basic and multipart transfers, the NDJSON commit, create_tag; refusals for anonymous callers, non-owners and
 * bad input, each checking that nothing was written.
 */
@QuarkusTest
class HubWriteApiTest {

    static final String ALICE = TestTokens.bearer("alice", "vendor");
    static final String BOB = TestTokens.bearer("bob", "vendor");
    static final String LFS = "application/vnd.git-lfs+json";
    static final byte[] README = "# Tiny\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] WEIGHTS = Bytes.random(70_001, 11);
    /** Above the test's multipart threshold (256 KiB) with 100 KiB parts: 4 parts, the last one short. */
    static final byte[] BIG = Bytes.random(3 * 102_400 + 4_321, 12);

    @Inject
    DownstreamStub stub;

    FakeRepository repo;

    @BeforeEach
    void reset() {
        stub.reset();
        repo = new FakeRepository();
        stub.answer("catalog", (request, response) -> repo.catalog(request, response));
        stub.answer("artifact", (request, response) -> repo.artifact(request, response));
    }

    // ---- W2 create_repo ----

    @Test
    void createRepoMakesAListingInTheCallersNamespaceAndAnswersItsUrl() {
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"name\":\"tiny2\",\"organization\":null,\"private\":true}")
                .when()
                .post("/api/repos/create")
                .then()
                .statusCode(200)
                .body("url", matchesPattern("http://localhost:\\d+/alice/tiny2"))
                .body("name", equalTo("alice/tiny2"))
                .body("id", equalTo("6f1c2a52-0000-4000-8000-000000000009"));
        DownstreamStub.Recorded created = stub.calls("catalog").get(0);
        assertThat(created.uri()).isEqualTo("/api/v1/listings");
        JsonObject listing = created.body().toJsonObject();
        assertThat(listing.getString("namespace")).isEqualTo("alice");
        assertThat(listing.getString("name")).isEqualTo("tiny2");
        assertThat(listing.getString("visibility")).isEqualTo("private");
        // The fields catalog requires: a placeholder the vendor edits later, and free (prices are set in ModelMarket).
        assertThat(listing.getMap())
                .containsEntry("title", "tiny2")
                .containsEntry("modality", "multimodal")
                .containsEntry("task", "other")
                .containsEntry("license", "other")
                .containsEntry("priceType", "free");
        assertThat(created.header("Authorization")).isEqualTo(ALICE);
        // It waited for artifact-service to know the listing before answering.
        assertThat(stub.calls("artifact").get(0).uri()).isEqualTo("/api/v1/listings/alice/tiny2/commits/main");
    }

    @Test
    void createRepoOfAnExistingRepoIsA409WithTheUrlForExistOk() {
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"name\":\"tiny\",\"organization\":\"acme\",\"type\":\"model\",\"visibility\":\"public\"}")
                .when()
                .post("/api/repos/create")
                .then()
                .statusCode(409)
                .body("url", matchesPattern("http://localhost:\\d+/acme/tiny"))
                .body("error", equalTo("You already created this model repo"));
    }

    @Test
    void createRepoRefusals() {
        given().contentType("application/json")
                .body("{\"name\":\"x\",\"organization\":\"acme\"}")
                .when()
                .post("/api/repos/create")
                .then()
                .statusCode(401)
                .header("X-Error-Message", "Invalid credentials in Authorization header");
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"name\":\"x\",\"organization\":\"other\"}")
                .when()
                .post("/api/repos/create")
                .then()
                .statusCode(403)
                .header("X-Error-Message", containsString("not a member"))
                .body("error", containsString("not a member"));
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"name\":\"x\",\"organization\":\"acme\",\"type\":\"dataset\"}")
                .when()
                .post("/api/repos/create")
                .then()
                .statusCode(400)
                .body("error", containsString("model"));
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"name\":\"Bad Name\",\"organization\":\"acme\"}")
                .when()
                .post("/api/repos/create")
                .then()
                .statusCode(400)
                .body("error", containsString("Invalid repository id"));
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("not json")
                .when()
                .post("/api/repos/create")
                .then()
                .statusCode(400);
        // Only the 403 case reached catalog; nothing was created by the others.
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void validateYamlAnswersJsonAlways() {
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(new JsonObject()
                        .put("content", "---\nlicense: mit\n---\n# Hi\n")
                        .put("repoType", "model")
                        .encode())
                .when()
                .post("/api/validate-yaml")
                .then()
                .statusCode(200)
                .body("errors.size()", equalTo(0))
                .body("warnings.size()", equalTo(0));
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(new JsonObject()
                        .put("content", "---\nlicense: [mit\n---\n")
                        .encode())
                .when()
                .post("/api/validate-yaml")
                .then()
                .statusCode(400)
                .body("errors[0].message", containsString("YAML"));
    }

    // ---- §3.2 preupload ----

    @Test
    void preuploadSaysWhichFilesGoByLfsAndGivesTheOidOfUnchangedOnes() {
        repo.seed("model.safetensors", WEIGHTS);
        String sample = Base64.getEncoder().encodeToString("text".getBytes(StandardCharsets.UTF_8));
        String binary = Base64.getEncoder().encodeToString(new byte[] {1, 0, 2});
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"files\":[{\"path\":\"README.md\",\"size\":7,\"sample\":\"" + sample + "\"},"
                        + "{\"path\":\"empty.txt\",\"size\":0,\"sample\":\"\"},"
                        + "{\"path\":\"sub/small.dat\",\"size\":3,\"sample\":\"" + binary + "\"},"
                        + "{\"path\":\"model.safetensors\",\"size\":70001,\"sample\":\"" + sample + "\"},"
                        + "{\"path\":\"big.txt\",\"size\":2000000,\"sample\":\"" + sample + "\"}],"
                        + "\"gitIgnore\":\"*.log\"}")
                .when()
                .post("/api/models/acme/tiny/preupload/main")
                .then()
                .statusCode(200)
                .body(
                        "files.path",
                        equalTo(List.of("README.md", "empty.txt", "sub/small.dat", "model.safetensors", "big.txt")))
                .body("files.uploadMode", equalTo(List.of("regular", "regular", "lfs", "lfs", "lfs")))
                .body("files.shouldIgnore", equalTo(List.of(false, false, false, false, false)))
                .body("files[3].oid", equalTo(Bytes.sha256(WEIGHTS)))
                .body("files[0].oid", nullValue());
    }

    @Test
    void preuploadRefusals() {
        String body = "{\"files\":[{\"path\":\"a.txt\",\"size\":1,\"sample\":\"YQ==\"}]}";
        given().contentType("application/json")
                .body(body)
                .when()
                .post("/api/models/acme/tiny/preupload/main")
                .then()
                .statusCode(401);
        given().header("Authorization", BOB)
                .contentType("application/json")
                .body(body)
                .when()
                .post("/api/models/acme/tiny/preupload/main")
                .then()
                .statusCode(403)
                .header("X-Error-Message", containsString("acme/tiny"));
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(body)
                .when()
                .post("/api/models/acme/nope/preupload/main")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RepoNotFound");
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"files\":\"no\"}")
                .when()
                .post("/api/models/acme/tiny/preupload/main")
                .then()
                .statusCode(400)
                .body("error", containsString("files"));
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(body)
                .when()
                .post("/api/models/acme/tiny/preupload/main?create_pr=1")
                .then()
                .statusCode(400)
                .body("error", containsString("Pull requests"));
    }

    // ---- §3.3-§3.5 the whole upload ----

    @Test
    void basicLfsUploadThenOneNdjsonCommitWithInlineAndLfsFiles() {
        JsonPath batch = batch(ALICE, WEIGHTS)
                .then()
                .statusCode(200)
                .contentType(LFS)
                .body("transfer", equalTo("basic"))
                .body("objects[0].oid", equalTo(Bytes.sha256(WEIGHTS)))
                .body("objects[0].size", equalTo(WEIGHTS.length))
                .body("objects[0].actions.upload.header", not(hasKey("chunk_size")))
                .extract()
                .jsonPath();
        String href = batch.getString("objects[0].actions.upload.href");
        assertThat(href).startsWith("http://localhost:").contains("/acme/tiny.git/info/lfs/objects/");

        // The PUT carries no Authorization and no Content-Type, as both clients send it.
        given().body(WEIGHTS).when().put(href).then().statusCode(200);
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("oid", Bytes.sha256(WEIGHTS), "size", WEIGHTS.length))
                .when()
                .post(batch.getString("objects[0].actions.verify.href"))
                .then()
                .statusCode(200);
        assertThat(repo.files).isEmpty();

        // Python's NDJSON: spaced, with a trailing newline.
        String ndjson = "{\"key\": \"header\", \"value\": {\"summary\": \"Add model\", \"description\": \"\"}}\n"
                + "{\"key\": \"file\", \"value\": {\"path\": \"README.md\", \"content\": \""
                + Base64.getEncoder().encodeToString(README) + "\", \"encoding\": \"base64\"}}\n"
                + "{\"key\": \"lfsFile\", \"value\": {\"path\": \"model.safetensors\", \"algo\": \"sha256\", \"oid\": \""
                + Bytes.sha256(WEIGHTS) + "\", \"size\": " + WEIGHTS.length + "}}\n";
        Response commit = commit(ALICE, ndjson, "main");
        commit.then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("commitOid", equalTo(repo.head))
                .body("commitUrl", matchesPattern("http://localhost:\\d+/acme/tiny/commit/" + repo.head))
                .body("pullRequestUrl", nullValue());
        assertThat(repo.files).containsOnlyKeys("README.md", "model.safetensors");
        assertThat(repo.files.get("model.safetensors")).isEqualTo(WEIGHTS);
        assertThat(repo.files.get("README.md")).isEqualTo(README);
        JsonObject sent = stub.calls("artifact").stream()
                .filter(c -> c.uri().endsWith("/commits") && c.method().equals("POST"))
                .findFirst()
                .orElseThrow()
                .body()
                .toJsonObject();
        assertThat(sent.getString("message")).isEqualTo("Add model");
        assertThat(sent.getJsonArray("operations").getJsonObject(1).getMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("op", "add", "path", "model.safetensors", "sha256", Bytes.sha256(WEIGHTS)));

        // Now stored: the batch answers without actions (the clients skip the upload).
        batch(ALICE, WEIGHTS)
                .then()
                .statusCode(200)
                .body("objects[0].oid", equalTo(Bytes.sha256(WEIGHTS)))
                .body("objects[0]", not(hasKey("actions")));
    }

    @Test
    void multipartLfsUploadWithPartsOutOfOrderAndACompletion() {
        JsonPath batch = batch(ALICE, BIG)
                .then()
                .statusCode(200)
                .body("objects[0].actions.upload.header.chunk_size", equalTo("102400"))
                .extract()
                .jsonPath();
        Map<String, String> header = batch.getMap("objects[0].actions.upload.header");
        assertThat(header).containsKeys("00001", "00002", "00003", "00004").hasSize(5);
        // JS sends parts in parallel, in any order; each answer carries the part's ETag.
        Map<Integer, String> etags = new java.util.TreeMap<>();
        for (int n : new int[] {3, 1, 4, 2}) {
            byte[] part = Arrays.copyOfRange(BIG, (n - 1) * 102_400, Math.min(BIG.length, n * 102_400));
            String etag = given().body(part)
                    .when()
                    .put(header.get(String.format("%05d", n)))
                    .then()
                    .statusCode(200)
                    .extract()
                    .header("ETag");
            assertThat(etag).isEqualTo('"' + Bytes.sha256(part) + '"');
            etags.put(n, etag);
        }
        StringBuilder parts = new StringBuilder();
        etags.forEach((n, etag) -> parts.append(parts.isEmpty() ? "" : ",")
                .append("{\"partNumber\":")
                .append(n)
                .append(",\"etag\":")
                .append(JsonObject.of("e", etag).encode().replaceAll("^\\{\"e\":|}$", ""))
                .append('}'));
        given().contentType(LFS)
                .accept(LFS)
                .body("{\"oid\":\"" + Bytes.sha256(BIG) + "\",\"parts\":[" + parts + "]}")
                .when()
                .post(batch.getString("objects[0].actions.upload.href"))
                .then()
                .statusCode(200);
        assertThat(repo.completed).contains(Bytes.sha256(BIG));

        // JS's NDJSON: compact, no trailing newline, no description.
        commit(
                        ALICE,
                        "{\"key\":\"header\",\"value\":{\"summary\":\"Add big\"}}\n"
                                + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"big.bin\",\"algo\":\"sha256\",\"oid\":\""
                                + Bytes.sha256(BIG) + "\",\"size\":" + BIG.length + "}}",
                        "main")
                .then()
                .statusCode(200);
        assertThat(repo.files.get("big.bin")).isEqualTo(BIG);
    }

    @Test
    void aPartWithWrongBytesIsRefusedAndTheObjectNeverCompletes() {
        JsonPath batch = batch(ALICE, BIG).then().statusCode(200).extract().jsonPath();
        String part1 = batch.getString("objects[0].actions.upload.header.00001");
        given().body(new byte[10]).when().put(part1).then().statusCode(400).body("error", containsString("bytes"));
        // Basic: bytes that are not the object's are refused by artifact-service's checksum.
        JsonPath basic = batch(ALICE, WEIGHTS).then().statusCode(200).extract().jsonPath();
        byte[] wrong = WEIGHTS.clone();
        wrong[0] ^= 1;
        given().body(wrong)
                .when()
                .put(basic.getString("objects[0].actions.upload.href"))
                .then()
                .statusCode(400)
                .body("error", containsString("sha256"));
        assertThat(repo.completed).isEmpty();
    }

    @Test
    void uploadUrlsAuthorizeThemselvesAndNothingElse() {
        JsonPath batch = batch(ALICE, WEIGHTS).then().statusCode(200).extract().jsonPath();
        String href = batch.getString("objects[0].actions.upload.href");
        String tampered = href.substring(0, href.length() - 3) + (href.endsWith("AAA") ? "BBB" : "AAA");
        given().body(WEIGHTS).when().put(tampered).then().statusCode(403).header("X-Error-Message", notNullValue());
        // The URL of acme/tiny does not work for another repository.
        given().body(WEIGHTS)
                .when()
                .put(href.replace("/acme/tiny.git/", "/acme/other.git/"))
                .then()
                .statusCode(403);
        assertThat(repo.parts.values()).allMatch(Map::isEmpty);
    }

    @Test
    void batchRefusals() {
        given().contentType(LFS)
                .body(batchBody(WEIGHTS))
                .when()
                .post("/acme/tiny.git/info/lfs/objects/batch")
                .then()
                .statusCode(401);
        batch(BOB, WEIGHTS).then().statusCode(403).body("error", containsString("rights"));
        given().header("Authorization", ALICE)
                .contentType(LFS)
                .body("{\"operation\":\"upload\",\"objects\":[{\"oid\":\"nothex\",\"size\":1}]}")
                .when()
                .post("/acme/tiny.git/info/lfs/objects/batch")
                .then()
                .statusCode(200)
                .body("objects[0].error.code", equalTo(422))
                .body("objects[0].error.message", containsString("sha256"));
        assertThat(repo.uploads).isEmpty();
    }

    @Test
    void aCommitNamingAnObjectNeverUploadedIsRefusedAndTheTreeIsUnchanged() {
        repo.seed("README.md", README);
        String before = repo.head;
        commit(
                        ALICE,
                        "{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\n"
                                + "{\"key\":\"file\",\"value\":{\"path\":\"new.txt\",\"content\":\"aGk=\",\"encoding\":\"base64\"}}\n"
                                + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"w.bin\",\"algo\":\"sha256\",\"oid\":\""
                                + Bytes.sha256(WEIGHTS) + "\",\"size\":" + WEIGHTS.length + "}}",
                        "main")
                .then()
                .statusCode(400)
                .header("X-Error-Message", containsString(Bytes.sha256(WEIGHTS)))
                .body("error", containsString("Upload the LFS object first"));
        assertThat(repo.head).isEqualTo(before);
        assertThat(repo.files).containsOnlyKeys("README.md");
    }

    @Test
    void aStaleParentCommitIs412AndAPrefixOfTheHeadIsAccepted() {
        repo.seed("README.md", README);
        String line = "{\"key\":\"file\",\"value\":{\"path\":\"a.txt\",\"content\":\"YQ==\",\"encoding\":\"base64\"}}";
        commit(
                        ALICE,
                        "{\"key\":\"header\",\"value\":{\"summary\":\"x\",\"parentCommit\":\"0000000\"}}\n" + line,
                        "main")
                .then()
                .statusCode(412)
                .body("error", containsString("The branch was updated"));
        assertThat(repo.files).doesNotContainKey("a.txt");
        commit(
                        ALICE,
                        "{\"key\":\"header\",\"value\":{\"summary\":\"x\",\"parentCommit\":\""
                                + repo.head.substring(0, 7) + "\"}}\n" + line,
                        "main")
                .then()
                .statusCode(200);
        assertThat(repo.files).containsKey("a.txt");
    }

    @Test
    void deletionsAndTheirErrors() {
        repo.seed("README.md", README);
        repo.seed("sub/a.txt", README);
        repo.seed("sub/b.txt", README);
        commit(
                        ALICE,
                        "{\"key\": \"header\", \"value\": {\"summary\": \"rm\", \"description\": \"\"}}\n"
                                + "{\"key\": \"deletedFolder\", \"value\": {\"path\": \"sub/\"}}\n",
                        "main")
                .then()
                .statusCode(200);
        assertThat(repo.files).containsOnlyKeys("README.md");
        String head = repo.head;
        commit(
                        ALICE,
                        "{\"key\":\"header\",\"value\":{\"summary\":\"rm\"}}\n"
                                + "{\"key\":\"deletedFile\",\"value\":{\"path\":\"nope.txt\"}}",
                        "main")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "EntryNotFound")
                .body("error", containsString("A file with this name doesn't exist"));
        assertThat(repo.head).isEqualTo(head);
    }

    @Test
    void commitRefusals() {
        String ok = "{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\n"
                + "{\"key\":\"file\",\"value\":{\"path\":\"a.txt\",\"content\":\"YQ==\",\"encoding\":\"base64\"}}";
        given().contentType("application/x-ndjson")
                .body(ok.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/models/acme/tiny/commit/main")
                .then()
                .statusCode(401);
        commit(BOB, ok, "main").then().statusCode(403).header("X-Error-Message", containsString("rights"));
        commit(ALICE, ok, "dev").then().statusCode(404).header("X-Error-Code", "RevisionNotFound");
        commit(ALICE, "{\"key\":\"file\",\"value\":{\"path\":\"a.txt\",\"content\":\"YQ==\"}}", "main")
                .then()
                .statusCode(400)
                .body("error", containsString("header"));
        commit(ALICE, "{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\nnot json", "main")
                .then()
                .statusCode(400)
                .body("error", containsString("Line 2"));
        commit(
                        ALICE,
                        "{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\n"
                                + "{\"key\":\"file\",\"value\":{\"path\":\"a.txt\",\"content\":\"%%%\",\"encoding\":\"base64\"}}",
                        "main")
                .then()
                .statusCode(400)
                .body("error", containsString("base64"));
        given().header("Authorization", ALICE)
                .contentType("application/x-ndjson")
                .body(ok.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/models/acme/tiny/commit/main?create_pr=1")
                .then()
                .statusCode(400);
        assertThat(stub.calls("artifact").stream().filter(c -> c.uri().endsWith("/commits")))
                .isEmpty();
        assertThat(repo.files).isEmpty();
    }

    // ---- W5 tags ----

    @Test
    void createTagPublishesAVersionNamingTheCommit() {
        repo.seed("README.md", README);
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"tag\":\"v1.0.0\",\"message\":\"First release\"}")
                .when()
                .post("/api/models/acme/tiny/tag/main")
                .then()
                .statusCode(200)
                .body("name", equalTo("1.0.0"))
                .body("targetCommit", equalTo(repo.head));
        assertThat(repo.versions.get("1.0.0").getMap())
                .containsEntry("commit", repo.head)
                .containsEntry("releaseNotes", "First release");
        assertThat(repo.published).containsExactly("1.0.0");

        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"tag\":\"1.0.0\"}")
                .when()
                .post("/api/models/acme/tiny/tag/main")
                .then()
                .statusCode(409);
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"tag\":\"best\"}")
                .when()
                .post("/api/models/acme/tiny/tag/main")
                .then()
                .statusCode(400)
                .body("error", containsString("semantic version"));
        given().header("Authorization", BOB)
                .contentType("application/json")
                .body("{\"tag\":\"2.0.0\"}")
                .when()
                .post("/api/models/acme/tiny/tag/main")
                .then()
                .statusCode(403);
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{\"tag\":\"2.0.0\"}")
                .when()
                .post("/api/models/acme/tiny/tag/nope")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RevisionNotFound");
        assertThat(repo.versions).containsOnlyKeys("1.0.0");
    }

    // ---- helpers ----

    static String batchBody(byte[] content) {
        return "{\"operation\":\"upload\",\"transfers\":[\"basic\",\"multipart\",\"xet\"],\"objects\":[{\"oid\":\""
                + Bytes.sha256(content) + "\",\"size\":" + content.length + "}],\"hash_algo\":\"sha_256\","
                + "\"ref\":{\"name\":\"main\"}}";
    }

    static Response batch(String token, byte[] content) {
        return given().header("Authorization", token)
                .contentType(LFS)
                .accept(LFS)
                .body(batchBody(content))
                .when()
                .post("/acme/tiny.git/info/lfs/objects/batch");
    }

    static Response commit(String token, String ndjson, String revision) {
        return given().header("Authorization", token)
                .contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/models/acme/tiny/commit/" + revision);
    }
}
