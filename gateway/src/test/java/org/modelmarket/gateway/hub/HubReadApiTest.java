package org.modelmarket.gateway.hub;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.hub.resolve.ResolveRoutes;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Hub read API at HTTP level, against scripted catalog, search and artifact services: one test per point of
 * HF-PROTOCOL.md's checklist (§6), with the request headers the real clients send, checking bodies and headers, and
 * what the gateway asked of the services.
 */
@QuarkusTest
class HubReadApiTest {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER_COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
    static final byte[] WEIGHTS = Bytes.random(70_001, 7);
    static final String WEIGHTS_SHA = Bytes.sha256(WEIGHTS);
    static final byte[] CONFIG = "{\"architectures\":[\"BertModel\"]}".getBytes(StandardCharsets.UTF_8);
    static final String CONFIG_SHA = Bytes.sha256(CONFIG);
    /** The JS client's Link parser (utils/parseLinkHeader.ts). */
    static final Pattern JS_LINK = Pattern.compile("<(https?:[/][/][^>]+)>;\\s+rel=\"([^\"]+)\"");
    /** Python's parse_datetime and the checklist's date shape. */
    static final String DATE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    static final String CARD = "---\nlicense: apache-2.0\nlibrary_name: transformers\ntags:\n- bert\n"
            + "widget:\n- text: hello\n---\n# Tiny\n\nA tiny model.\n";

    @Inject
    DownstreamStub stub;

    @Inject
    ResolveRoutes routes;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        gateway = base.toString();
        routes.downloads(GatewayConfig.Files.Mode.RELAY);
        stub.reset();
        stub.answer("catalog", (request, response) -> catalog(request, response, "free", false, "public"));
        stub.answer("artifact", HubReadApiTest::artifact);
    }

    @AfterEach
    void relayAgain() {
        routes.downloads(GatewayConfig.Files.Mode.RELAY);
    }

    // ---- §6.1 listing ----

    @Test
    void listsModelsWithHubFieldsAndAnAbsoluteLinkToTheNextPage() {
        stub.json("search", 200, """
                {"total":3,"size":2,"sort":"downloads","nextCursor":"abc+/=","items":[
                 {"id":"acme/tiny","listingId":"6f1c2a52-0000-4000-8000-000000000001","task":"sentiment-analysis",
                  "frameworks":["pytorch","transformers"],"formats":["safetensors"],"tags":["bert"],"license":"mit",
                  "priceType":"free","gated":false,"stats":{"downloads":12,"likes":3},
                  "publishedAt":"2026-11-22T10:05:00Z","updatedAt":"2026-11-23T08:30:00.123456Z"},
                 {"id":"acme/paid","listingId":"6f1c2a52-0000-4000-8000-000000000002","task":"object-tracking",
                  "priceType":"paid","gated":false,"stats":{"downloads":0,"likes":0},
                  "updatedAt":"2026-11-23T08:30:00Z"}]}""");

        Response response = given().accept("application/json")
                .when()
                .get("/api/models?search=tiny&author=acme&filter=bert&filter=license:mit&sort=downloads&limit=2"
                        + "&cardData=False")
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("[0]._id", equalTo("6f1c2a52-0000-4000-8000-000000000001"))
                .body("[0].id", equalTo("acme/tiny"))
                .body("[0].author", equalTo("acme"))
                .body("[0].pipeline_tag", equalTo("text-classification"))
                .body("[0].library_name", equalTo("transformers"))
                .body("[0].tags", hasItem("license:mit"))
                .body("[0].gated", equalTo(false))
                .body("[0].private", equalTo(false))
                .body("[0].downloads", equalTo(12))
                .body("[0].likes", equalTo(3))
                .body("[0].lastModified", equalTo("2026-11-23T08:30:00.123Z"))
                .body("[1].gated", equalTo("manual"))
                .body("[1].pipeline_tag", nullValue())
                .extract()
                .response();

        Matcher link = JS_LINK.matcher(response.header("Link"));
        assertThat(link.find()).as("Link header %s", response.header("Link")).isTrue();
        assertThat(link.group(2)).isEqualTo("next");
        String next = link.group(1);
        assertThat(next).startsWith("http://localhost:").contains("/api/models?search=tiny&author=acme");
        // The query as the client sent it (rest-assured encodes the colon).
        assertThat(next).contains("&filter=bert&filter=license%3Amit&sort=downloads&limit=2");
        assertThat(URLDecoder.decode(next.substring(next.indexOf("cursor=") + 7), StandardCharsets.UTF_8))
                .isEqualTo("abc+/=");

        String query = stub.onlyCall("search").uri();
        assertThat(query).startsWith("/api/v1/search?size=2&cursor=*&q=tiny&sort=downloads&vendor=acme");
        assertThat(query).contains("&tags=bert").contains("&license=mit");

        // The next page is asked for with the cursor; the last page has no Link.
        stub.reset();
        stub.json("search", 200, """
                {"total":3,"size":2,"items":[{"id":"acme/last","listingId":"x","stats":{}}]}""");
        given().urlEncodingEnabled(false)
                .when()
                .get(next.substring(next.indexOf("/api/models")))
                .then()
                .statusCode(200)
                .header("Link", nullValue())
                .body("[0].id", equalTo("acme/last"));
        assertThat(stub.onlyCall("search").uri()).contains("&cursor=abc%2B%2F%3D");
    }

    @Test
    void badLimitIsA400WithAnErrorBody() {
        given().when()
                .get("/api/models?limit=many")
                .then()
                .statusCode(400)
                .contentType("application/json")
                .header("X-Error-Message", containsString("limit"))
                .body("error", containsString("limit"));
        assertThat(stub.calls("search")).isEmpty();
    }

    // ---- §6.2 model info ----

    @Test
    void modelInfoAtHeadHasShaSiblingsCardDataAndTaxonomy() {
        given().when()
                .get("/api/models/acme/tiny/revision/HEAD")
                .then()
                .statusCode(200)
                .body("id", equalTo("acme/tiny"))
                .body("_id", equalTo("6f1c2a52-0000-4000-8000-000000000001"))
                .body("sha", equalTo(COMMIT))
                .body("siblings.rfilename", equalTo(List.of("config.json", "sub/dir/model.safetensors")))
                .body("siblings[0].lfs", nullValue())
                .body("cardData.license", equalTo("apache-2.0"))
                .body("cardData.widget[0].text", equalTo("hello"))
                .body("cardData.pipeline_tag", equalTo("text-classification"))
                .body("pipeline_tag", equalTo("text-classification"))
                .body("library_name", equalTo("transformers"))
                .body("tags", hasItem("bert"))
                .body("gated", equalTo(false))
                .body("private", equalTo(false))
                .body("lastModified", matchesPattern(DATE))
                .body("createdAt", matchesPattern(DATE));
        assertThat(stub.calls("artifact").get(0).uri())
                .isEqualTo("/api/v1/listings/acme/tiny/tree/HEAD?recursive=true");
    }

    @Test
    void modelInfoWithBlobsDescribesEachFileAsLfs() {
        given().when()
                .get("/api/models/acme/tiny/revision/" + COMMIT + "?blobs=true")
                .then()
                .statusCode(200)
                .body("sha", equalTo(COMMIT))
                .body("siblings[1].size", equalTo(WEIGHTS.length))
                .body("siblings[1].lfs.sha256", equalTo(WEIGHTS_SHA))
                .body("siblings[1].lfs.size", equalTo(WEIGHTS.length))
                .body("siblings[1].blobId", matchesPattern("[0-9a-f]{40}"));
    }

    @Test
    void modelInfoWithoutRevisionAndAVersionName() {
        given().when().get("/api/models/acme/tiny").then().statusCode(200).body("sha", equalTo(COMMIT));
        given().when()
                .get("/api/models/acme/tiny/revision/1.0.0")
                .then()
                .statusCode(200)
                .body("sha", equalTo(OTHER_COMMIT));
    }

    @Test
    void theTagCreateTagMadeResolvesAsItsVersion() {
        // create_tag("v1.0.0") makes the catalog version 1.0.0; clients then ask for v1.0.0 everywhere.
        given().when()
                .get("/api/models/acme/tiny/revision/v1.0.0")
                .then()
                .statusCode(200)
                .body("sha", equalTo(OTHER_COMMIT));
        assertThat(stub.calls("artifact").get(0).uri())
                .isEqualTo("/api/v1/listings/acme/tiny/tree/1.0.0?recursive=true");
        given().when()
                .get("/acme/tiny/resolve/v1.0.0/config.json")
                .then()
                .statusCode(200)
                .header("X-Repo-Commit", OTHER_COMMIT);
        given().when()
                .get("/acme/tiny/resolve/v1.0.0/nope.bin")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "EntryNotFound")
                .header("X-Repo-Commit", OTHER_COMMIT);
        given().when()
                .get("/api/models/acme/tiny/revision/v2.0.0")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RevisionNotFound");
    }

    @Test
    void unknownRevisionIsRevisionNotFoundAlsoWhenPercentEncoded() {
        given().urlEncodingEnabled(false)
                .when()
                .get("/api/models/acme/tiny/revision/refs%2Fpr%2F1")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RevisionNotFound")
                .contentType("application/json")
                .body("error", containsString("refs/pr/1"));
        assertThat(stub.calls("artifact").get(0).uri())
                .isEqualTo("/api/v1/listings/acme/tiny/tree/refs%2Fpr%2F1?recursive=true");
    }

    @Test
    void gatedAndPaidListingsShowTheirMetadata() {
        stub.answer("catalog", (request, response) -> catalog(request, response, "paid", false, "public"));
        given().when().get("/api/models/acme/tiny").then().statusCode(200).body("gated", equalTo("manual"));
        stub.answer("catalog", (request, response) -> catalog(request, response, "free", true, "public"));
        given().when().get("/api/models/acme/tiny").then().statusCode(200).body("gated", equalTo("manual"));
    }

    @Test
    void hiddenOrMissingRepoIsRepoNotFound401AnonymousAnd404WithToken() {
        stub.json("catalog", 404, """
                {"type":"https://modelmarket.org/problems/listing-not-found","status":404,"detail":"No listing"}""");
        given().when()
                .get("/api/models/acme/secret")
                .then()
                .statusCode(401)
                .header("X-Error-Code", "RepoNotFound")
                .header("X-Error-Message", notNullValue())
                .body("error", containsString("acme/secret"));
        given().header("Authorization", TestTokens.bearer("bob"))
                .when()
                .get("/api/models/acme/secret")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RepoNotFound");
        assertThat(stub.calls("catalog").get(1).header("Authorization")).startsWith("Bearer ");
        assertThat(stub.calls("artifact")).isEmpty();
    }

    @Test
    void invalidTokenIsA401WithTheInvalidCredentialsMessage() {
        given().header("Authorization", TestTokens.expiredBearer("bob"))
                .when()
                .get("/api/models/acme/tiny")
                .then()
                .statusCode(401)
                .header("X-Error-Message", "Invalid credentials in Authorization header")
                .body("error", equalTo("Invalid credentials in Authorization header"));
        given().header("Authorization", TestTokens.expiredBearer("bob"))
                .when()
                .head("/acme/tiny/resolve/main/config.json")
                .then()
                .statusCode(401)
                .header("X-Error-Message", "Invalid credentials in Authorization header");
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
    }

    // ---- §6.3 tree ----

    @Test
    void recursiveTreeListsFilesAndDirectoriesWithoutXet() {
        given().when()
                .get("/api/models/acme/tiny/tree/main?recursive=true&expand=false")
                .then()
                .statusCode(200)
                .body("path", equalTo(List.of("config.json", "sub", "sub/dir", "sub/dir/model.safetensors")))
                .body("type", equalTo(List.of("file", "directory", "directory", "file")))
                .body("[0].oid", matchesPattern("[0-9a-f]{40}"))
                .body("[0].size", equalTo(CONFIG.length))
                .body("[0].lfs.oid", equalTo(CONFIG_SHA))
                .body("[1].oid", matchesPattern("[0-9a-f]{40}"))
                .body("[1].size", equalTo(0))
                .body("[3].lfs.oid", equalTo(WEIGHTS_SHA))
                .body("[3].lfs.pointerSize", notNullValue())
                .body("[3].xetHash", nullValue())
                .body("[3].lastCommit", nullValue());
    }

    @Test
    void folderPathMayBeRawOrPercentEncoded() {
        for (String url : List.of(
                "/api/models/acme/tiny/tree/main/sub/dir/?recursive=false&expand=true",
                "/api/models/acme/tiny/tree/main/sub%2Fdir?recursive=false&expand=true")) {
            stub.reset();
            stub.answer("artifact", HubReadApiTest::artifact);
            // As sent: no second encoding of %2F by the test client.
            given().urlEncodingEnabled(false)
                    .when()
                    .get(url)
                    .then()
                    .statusCode(200)
                    .body("path", equalTo(List.of("sub/dir/model.safetensors")))
                    .body("[0].lastCommit.id", equalTo(COMMIT))
                    .body("[0].lastCommit.title", equalTo("Add weights"))
                    .body("[0].lastCommit.date", matchesPattern(DATE));
            assertThat(stub.onlyCall("artifact").uri())
                    .isEqualTo("/api/v1/listings/acme/tiny/tree/main/sub/dir?recursive=false");
        }
    }

    @Test
    void dotSegmentsCannotLeaveTheRepoTheUrlNames() {
        // Decoded, %2E%2E is "..": sent on, artifact-service would resolve it to another listing's files, past an API
        // token restricted to acme/tiny.
        for (String url : List.of(
                "/acme/tiny/resolve/main/%2E%2E%2F%2E%2E%2Fother%2Ffiles%2Fmodel.safetensors",
                "/acme/tiny/resolve/main/..%2F..%2Fother%2Ffiles%2Fmodel.safetensors",
                "/api/models/acme/tiny/tree/main/..%2F..%2F..%2Fother%2Ftree%2Fmain")) {
            stub.reset();
            stub.answer("catalog", (request, response) -> catalog(request, response, "free", false, "public"));
            stub.answer("artifact", HubReadApiTest::artifact);
            given().urlEncodingEnabled(false)
                    .when()
                    .get(url)
                    .then()
                    .statusCode(400)
                    .contentType("application/json")
                    .body("error", containsString("'..'"));
            assertThat(stub.calls("artifact")).as(url).isEmpty();
        }
    }

    @Test
    void missingFolderIsEntryNotFoundNamingTheCommit() {
        given().when()
                .get("/api/models/acme/tiny/tree/main/additional_chat_templates?recursive=false&expand=false")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "EntryNotFound")
                .header("X-Repo-Commit", COMMIT)
                .body("error", containsString("additional_chat_templates"));
    }

    // ---- §6.4 paths-info ----

    @Test
    void pathsInfoAcceptsTheFormOfPython() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("paths", "config.json")
                .formParam("paths", "sub/dir")
                .formParam("paths", "missing.txt")
                .formParam("expand", "False")
                .when()
                .post("/api/models/acme/tiny/paths-info/main")
                .then()
                .statusCode(200)
                .body("path", equalTo(List.of("config.json", "sub/dir")))
                .body("[0].lastCommit", nullValue());
    }

    @Test
    void pathsInfoAcceptsTheJsonOfJsWithExpand() {
        given().contentType("application/json")
                .body("{\"paths\":[\"sub/dir/model.safetensors\"],\"expand\":true}")
                .when()
                .post("/api/models/acme/tiny/paths-info/" + COMMIT)
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].lfs.oid", equalTo(WEIGHTS_SHA))
                .body("[0].lastCommit.id", equalTo(COMMIT))
                .body("[0].lastCommit.date", matchesPattern(DATE));
        given().contentType("application/json")
                .body("{}")
                .when()
                .post("/api/models/acme/tiny/paths-info/main")
                .then()
                .statusCode(400)
                .body("error", containsString("paths"));
    }

    // ---- §6.5-6.9, 6.15 resolve ----

    @Test
    void headWithThePythonClientsHeadersHasTheHubHeaders() {
        Response response = given().header("Accept-Encoding", "identity")
                .header("X-HF-Download-Counter", "1")
                .header("User-Agent", "unknown/None; hf_hub/2.0.0; python/3.12")
                .header("X-Amzn-Trace-Id", "0b1e9d4a")
                .when()
                .head("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(200)
                .header("X-Repo-Commit", COMMIT)
                .header("ETag", '"' + WEIGHTS_SHA + '"')
                .header("X-Linked-Etag", '"' + WEIGHTS_SHA + '"')
                .header("X-Linked-Size", Integer.toString(WEIGHTS.length))
                .header("Content-Length", Integer.toString(WEIGHTS.length))
                .header("Accept-Ranges", "bytes")
                .header("Content-Encoding", nullValue())
                .extract()
                .response();
        assertThat(response.headers().asList())
                .noneMatch(h -> h.getName().toLowerCase().startsWith("x-xet"));
        DownstreamStub.Recorded call = stub.onlyCall("artifact");
        assertThat(call.method()).isEqualTo("HEAD");
        assertThat(call.uri()).isEqualTo("/api/v1/listings/acme/tiny/files/sub/dir/model.safetensors?revision=main");
    }

    @Test
    void getStreamsTheBytesAndTheCommitRevisionIsKept() {
        byte[] body = given().when()
                .get("/acme/tiny/resolve/" + COMMIT + "/sub/dir/model.safetensors")
                .then()
                .statusCode(200)
                .header("X-Repo-Commit", COMMIT)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Length", Integer.toString(WEIGHTS.length))
                .extract()
                .asByteArray();
        assertThat(Bytes.sha256(body)).isEqualTo(WEIGHTS_SHA);
        assertThat(stub.onlyCall("artifact").uri()).endsWith("?revision=" + COMMIT);
    }

    @Test
    void rangesAre206WithContentRangeIncludingTheJsProbe() {
        byte[] first = given().header("Range", "bytes=0-0")
                .header("Accept", "application/vnd.xet-fileinfo+json, */*")
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes 0-0/" + WEIGHTS.length)
                .header("Content-Type", "application/octet-stream")
                .header("ETag", '"' + WEIGHTS_SHA + '"')
                .header("X-Linked-Size", Integer.toString(WEIGHTS.length))
                .extract()
                .asByteArray();
        assertThat(first).containsExactly(WEIGHTS[0]);

        byte[] tail = given().header("Range", "bytes=70000-")
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes 70000-70000/" + WEIGHTS.length)
                .extract()
                .asByteArray();
        assertThat(tail).containsExactly(WEIGHTS[70000]);
        assertThat(stub.calls("artifact").get(1).header("Range")).isEqualTo("bytes=70000-");

        given().header("Range", "bytes=90000-")
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(416)
                .header("Content-Range", "bytes */" + WEIGHTS.length);
    }

    @Test
    void rawHeadAnswersLikeResolve() {
        given().when()
                .head("/acme/tiny/raw/main/config.json")
                .then()
                .statusCode(200)
                .header("X-Repo-Commit", COMMIT);
        given().when()
                .head("/acme/tiny/raw/main/nope.txt")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "EntryNotFound");
    }

    @Test
    void missingFileIsEntryNotFoundWithTheCommit() {
        given().when()
                .get("/acme/tiny/resolve/main/nope.txt")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "EntryNotFound")
                .header("X-Repo-Commit", COMMIT)
                .contentType("application/json")
                .body("error", containsString("nope.txt"));
    }

    @Test
    void unknownRevisionOnResolveIsRevisionNotFound() {
        given().when()
                .head("/acme/tiny/resolve/nope/config.json")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RevisionNotFound");
    }

    @Test
    void resolveAcceptsEveryRevisionFormWithAQuotedStrongEtag() {
        Map<String, String> revisions = new java.util.LinkedHashMap<>();
        revisions.put("main", COMMIT);
        revisions.put("HEAD", COMMIT);
        revisions.put("1.0.0", OTHER_COMMIT);
        revisions.put("v1.0.0", OTHER_COMMIT);
        revisions.put(COMMIT, COMMIT);
        revisions.put(OTHER_COMMIT, OTHER_COMMIT);
        revisions.forEach((revision, commit) -> {
            for (String method : List.of("HEAD", "GET")) {
                Response response = given().header("Accept-Encoding", "identity")
                        .when()
                        .request(method, "/acme/tiny/resolve/" + revision + "/config.json")
                        .then()
                        .statusCode(200)
                        .header("X-Repo-Commit", commit)
                        // Quoted and strong (Python strips W/ and quotes character-wise): the content's SHA-256.
                        .header("ETag", '"' + CONFIG_SHA + '"')
                        .header("Content-Length", Integer.toString(CONFIG.length))
                        .extract()
                        .response();
                assertThat(response.header("ETag"))
                        .as("%s %s", method, revision)
                        .matches("\"[0-9a-f]{64}\"");
            }
        });
    }

    @Test
    void downloadsAreNeverCompressedEvenWhenTheClientAcceptsGzip() {
        // Python's GET after the HEAD sends httpx's default Accept-Encoding; JSON compresses well, so this would show
        // any compression on the file route.
        for (String encoding : List.of("gzip, deflate", "gzip, deflate, br, zstd", "identity")) {
            Response response = given().header("Accept-Encoding", encoding)
                    .when()
                    .get("/acme/tiny/resolve/main/config.json")
                    .then()
                    .statusCode(200)
                    .header("Content-Encoding", nullValue())
                    .header("Content-Length", Integer.toString(CONFIG.length))
                    .header("X-Linked-Size", Integer.toString(CONFIG.length))
                    .extract()
                    .response();
            assertThat(response.asByteArray()).isEqualTo(CONFIG);
            assertThat(response.headers().asList())
                    .noneMatch(h -> h.getName().toLowerCase().startsWith("x-xet"));
        }
        assertThat(stub.calls("artifact"))
                .allSatisfy(call -> assertThat(call.header("Accept-Encoding")).isEqualTo("identity"));
        // The ranged probe of the JS client neither.
        Response probe = given().header("Accept-Encoding", "gzip, deflate, br")
                .header("Range", "bytes=0-0")
                .when()
                .get("/acme/tiny/resolve/main/config.json")
                .then()
                .statusCode(206)
                .header("Content-Encoding", nullValue())
                .header("Content-Length", "1")
                .extract()
                .response();
        assertThat(probe.headers().asList())
                .noneMatch(h -> h.getName().toLowerCase().startsWith("x-xet"));
    }

    // ---- §2.3, §6.7: resolve by redirect (files.download=redirect) ----

    @Test
    void inRedirectModeGetIsA307ToTheSignedUrlWithTheHubHeadersOnIt() {
        routes.downloads(GatewayConfig.Files.Mode.REDIRECT);
        String bob = TestTokens.bearer("bob", "buyer");
        Response redirect = given().redirects()
                .follow(false)
                .header("Authorization", bob)
                .header("Range", "bytes=1000-1099")
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(307)
                .header("X-Repo-Commit", COMMIT)
                .header("ETag", '"' + WEIGHTS_SHA + '"')
                .header("X-Linked-Etag", '"' + WEIGHTS_SHA + '"')
                .header("X-Linked-Size", Integer.toString(WEIGHTS.length))
                .header("Content-Length", "0")
                .header("Content-Encoding", nullValue())
                .extract()
                .response();
        String location = redirect.header("Location");
        assertThat(location).startsWith(base + "api/v1/signed/");
        assertThat(redirect.headers().asList())
                .noneMatch(h -> h.getName().toLowerCase().startsWith("x-xet"));
        DownstreamStub.Recorded asked = stub.onlyCall("artifact");
        assertThat(asked.header("X-ModelMarket-Redirect")).isEqualTo("signed");
        assertThat(asked.header("Authorization")).startsWith("Bearer ");
        assertThat(asked.uri()).isEqualTo("/api/v1/listings/acme/tiny/files/sub/dir/model.safetensors?revision=main");
        assertThat(asked.header("Range")).isEqualTo("bytes=1000-1099");

        // The JS client's one-byte probe is answered directly, so that it keeps the resolve URL (never an expiring
        // signed one) for its later reads.
        stub.reset();
        stub.answer("artifact", HubReadApiTest::artifact);
        given().redirects()
                .follow(false)
                .header("Authorization", bob)
                .header("Range", "bytes=0-0")
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(206)
                .header("Location", nullValue())
                .header("Content-Range", "bytes 0-0/" + WEIGHTS.length)
                .header("ETag", '"' + WEIGHTS_SHA + '"')
                .header("X-Repo-Commit", COMMIT);
        assertThat(stub.onlyCall("artifact").header("X-ModelMarket-Redirect")).isNull();

        // The target serves what the clients then ask of it: the JS probe, a resumed range, the whole file. The URL
        // authorizes itself, so no token is sent (Python drops it for another host).
        String target = location.substring(base.toString().length() - 1);
        given().urlEncodingEnabled(false)
                .header("Range", "bytes=0-0")
                .when()
                .get(target)
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes 0-0/" + WEIGHTS.length)
                .header("ETag", '"' + WEIGHTS_SHA + '"');
        byte[] tail = given().urlEncodingEnabled(false)
                .header("Range", "bytes=69990-")
                .when()
                .get(target)
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes 69990-70000/" + WEIGHTS.length)
                .extract()
                .asByteArray();
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(WEIGHTS, 69990, WEIGHTS.length));
        byte[] whole = given().header("Authorization", bob)
                .when()
                .get("/acme/tiny/resolve/" + COMMIT + "/sub/dir/model.safetensors")
                .then()
                .statusCode(200)
                .header("X-Repo-Commit", COMMIT)
                .extract()
                .asByteArray();
        assertThat(Bytes.sha256(whole)).isEqualTo(WEIGHTS_SHA);
    }

    @Test
    void inRedirectModeHeadStillAnswersTheMetadataItselfAndErrorsAreNotRedirected() {
        routes.downloads(GatewayConfig.Files.Mode.REDIRECT);
        given().header("Accept-Encoding", "identity")
                .header("X-HF-Download-Counter", "1")
                .when()
                .head("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(200)
                .header("Location", nullValue())
                .header("X-Repo-Commit", COMMIT)
                .header("ETag", '"' + WEIGHTS_SHA + '"')
                .header("Content-Length", Integer.toString(WEIGHTS.length))
                .header("X-Linked-Size", Integer.toString(WEIGHTS.length));
        assertThat(stub.onlyCall("artifact").header("X-ModelMarket-Redirect")).isNull();
        given().redirects()
                .follow(false)
                .when()
                .get("/acme/tiny/resolve/main/nope.bin")
                .then()
                .statusCode(404)
                .header("Location", nullValue())
                .header("X-Error-Code", "EntryNotFound")
                .header("X-Repo-Commit", COMMIT);
        given().redirects()
                .follow(false)
                .when()
                .get("/acme/tiny/resolve/nope/config.json")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RevisionNotFound");
        // A refused download is refused before any URL is signed (artifact-service checks first).
        stub.answer(
                "artifact",
                (request, response) -> problem(
                        response,
                        402,
                        "subscription-required",
                        "acme/tiny is a paid listing: subscribe at http://localhost/listings/acme/tiny/pricing"));
        given().redirects()
                .follow(false)
                .header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(403)
                .header("Location", nullValue())
                .header("X-Error-Code", "GatedRepo");
    }

    // ---- §2.5, §6.9-6.12, 6.16: error headers per case ----

    /** One error case: what is asked, as whom, and what the clients must be told. */
    record ErrorCase(String name, String method, String url, String bearer, int status, String code) {}

    @Test
    void everyErrorCarriesItsCodeItsMessageAndAJsonErrorBody() {
        String bob = TestTokens.bearer("bob", "buyer");
        stub.answer("catalog", (request, response) -> {
            if (request.uri().startsWith("/api/v1/listings/acme/secret")) {
                problem(response, 404, "listing-not-found", "No listing acme/secret");
            } else {
                catalog(request, response, "free", true, "public");
            }
        });
        stub.answer("artifact", (request, response) -> {
            boolean anonymous = request.header("Authorization") == null;
            if (request.uri().startsWith("/api/v1/listings/acme/secret")) {
                problem(response, 404, "listing-not-found", "No listing acme/secret");
            } else if (request.uri().startsWith("/api/v1/listings/acme/tiny/files/sub/dir/")) {
                if (!anonymous) {
                    // As artifact-service does: the URL also in a Link header, which is all a HEAD answer has.
                    response.putHeader(
                            "Link",
                            "<http://localhost/api/v1/listings/acme/tiny/terms/acceptance>; rel=\"terms-acceptance\"");
                }
                problem(
                        response,
                        anonymous ? 401 : 403,
                        anonymous ? "login-required" : "terms-not-accepted",
                        "acme/tiny is gated: accept its terms with POST "
                                + "http://localhost/api/v1/listings/acme/tiny/terms/acceptance, then retry.");
            } else {
                artifact(request, response);
            }
        });
        List<ErrorCase> cases = new java.util.ArrayList<>();
        for (String method : List.of("GET", "HEAD")) {
            for (String url : List.of(
                    "/api/models/acme/secret",
                    "/api/models/acme/secret/tree/main",
                    "/acme/secret/resolve/main/a.bin")) {
                if (method.equals("HEAD") && url.startsWith("/api/")) {
                    continue;
                }
                cases.add(new ErrorCase("private", method, url, null, 401, "RepoNotFound"));
                cases.add(new ErrorCase("private", method, url, bob, 404, "RepoNotFound"));
            }
            for (String url : List.of(
                    "/api/models/acme/tiny/revision/nope",
                    "/api/models/acme/tiny/tree/nope",
                    "/acme/tiny/resolve/nope/config.json",
                    "/acme/tiny/raw/nope/config.json")) {
                if (method.equals("HEAD") && url.startsWith("/api/")) {
                    continue;
                }
                cases.add(new ErrorCase("revision", method, url, null, 404, "RevisionNotFound"));
                cases.add(new ErrorCase("revision", method, url, bob, 404, "RevisionNotFound"));
            }
            for (String url : List.of(
                    "/api/models/acme/tiny/tree/main/nope",
                    "/acme/tiny/resolve/main/nope.bin",
                    "/acme/tiny/raw/main/nope.bin")) {
                if (method.equals("HEAD") && url.startsWith("/api/")) {
                    continue;
                }
                cases.add(new ErrorCase("entry", method, url, bob, 404, "EntryNotFound"));
            }
            cases.add(new ErrorCase(
                    "gated", method, "/acme/tiny/resolve/main/sub/dir/model.safetensors", null, 401, "GatedRepo"));
            cases.add(new ErrorCase(
                    "gated", method, "/acme/tiny/resolve/main/sub/dir/model.safetensors", bob, 403, "GatedRepo"));
        }
        for (ErrorCase c : cases) {
            var request = given().header("Accept-Encoding", "identity").urlEncodingEnabled(false);
            if (c.bearer() != null) {
                request.header("Authorization", c.bearer());
            }
            Response response = request.when().request(c.method(), c.url()).andReturn();
            String what = c.method() + " " + c.url() + (c.bearer() == null ? " anonymous" : " with a token");
            assertThat(response.statusCode()).as(what).isEqualTo(c.status());
            assertThat(response.header("X-Error-Code")).as(what).isEqualTo(c.code());
            assertThat(response.header("X-Error-Message")).as(what).isNotBlank();
            assertThat(response.contentType()).as(what).startsWith("application/json");
            if (c.name().equals("entry")) {
                // The clients cache the absence under the commit.
                assertThat(response.header("X-Repo-Commit")).as(what).isEqualTo(COMMIT);
            }
            if (c.name().equals("gated") && c.bearer() != null) {
                assertThat(response.header("X-Error-Message")).as(what).contains("acme/tiny", "/terms/acceptance");
            } else if (c.name().equals("gated") && c.method().equals("HEAD")) {
                // Anonymous HEAD: what to do first (artifact-service's HEAD answer has only its status to say it).
                assertThat(response.header("X-Error-Message")).as(what).contains("acme/tiny", "bearer token");
            } else if (c.name().equals("gated")) {
                // Anonymous GET: artifact-service's own explanation, passed on.
                assertThat(response.header("X-Error-Message")).as(what).contains("acme/tiny", "/terms/acceptance");
            }
            if (c.method().equals("GET")) {
                assertThat(response.jsonPath().getString("error"))
                        .as(what)
                        .isEqualTo(response.header("X-Error-Message"));
            } else {
                assertThat(response.asByteArray()).as(what).isEmpty();
            }
        }
    }

    @Test
    void expandIsAcceptedRepeatedAndWithBracketsAnsweringOnlyThosePropertiesAndTheIds() {
        // JS repoExists sends expand[]=likes (brackets raw, and as a browser would encode them); modelInfo repeats it.
        for (String url : List.of("/api/models/acme/tiny?expand[]=likes", "/api/models/acme/tiny?expand%5B%5D=likes")) {
            Response response =
                    given().urlEncodingEnabled(false).when().get(url).andReturn();
            assertThat(response.statusCode()).as(url).isEqualTo(200);
            assertThat(new JsonObject(response.asString()).getMap())
                    .as(url)
                    .isEqualTo(Map.of("_id", "6f1c2a52-0000-4000-8000-000000000001", "id", "acme/tiny", "likes", 1));
        }
        // What JS modelInfo sends with snapshotDownload's expand=sha.
        Response response = given().when()
                .get("/api/models/acme/tiny/revision/HEAD?expand=pipeline_tag&expand=private&expand=gated"
                        + "&expand=downloads&expand=likes&expand=lastModified&expand=sha")
                .andReturn();
        JsonObject body = new JsonObject(response.asString());
        assertThat(body.fieldNames())
                .containsExactlyInAnyOrder(
                        "_id", "id", "pipeline_tag", "private", "gated", "downloads", "likes", "lastModified", "sha");
        assertThat(body.getString("sha")).isEqualTo(COMMIT);
        assertThat(body.getString("pipeline_tag")).isEqualTo("text-classification");
        assertThat(body.getBoolean("private")).isFalse();
        assertThat(body.getBoolean("gated")).isFalse();
        assertThat(body.getInteger("downloads")).isEqualTo(5);
        assertThat(body.getString("lastModified")).matches(DATE);
    }

    @Test
    void expandOnModelInfoNarrowsToTheCardTheFilesAndDerivedProperties() {
        JsonObject body = new JsonObject(given().when()
                .get("/api/models/acme/tiny?expand=cardData&expand=siblings&expand=widgetData&expand=usedStorage"
                        + "&expand=downloadsAllTime&expand=xetEnabled&expand=safetensors")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        // safetensors: ModelMarket has no such metadata, so the property is left out as the Hub does.
        assertThat(body.fieldNames())
                .containsExactlyInAnyOrder(
                        "_id",
                        "id",
                        "cardData",
                        "siblings",
                        "widgetData",
                        "usedStorage",
                        "downloadsAllTime",
                        "xetEnabled");
        assertThat(body.getJsonObject("cardData").getString("license")).isEqualTo("apache-2.0");
        assertThat(body.getJsonArray("siblings").stream().map(s -> ((JsonObject) s).getString("rfilename")))
                .containsExactly("config.json", "sub/dir/model.safetensors");
        assertThat(body.getJsonArray("widgetData").getJsonObject(0).getString("text"))
                .isEqualTo("hello");
        assertThat(body.getLong("usedStorage")).isEqualTo(CONFIG.length + WEIGHTS.length);
        assertThat(body.getLong("downloadsAllTime")).isEqualTo(5);
        assertThat(body.getBoolean("xetEnabled")).isFalse();
        // An unknown revision is still RevisionNotFound when the expand needs no file.
        given().when()
                .get("/api/models/acme/tiny/revision/dev?expand=likes")
                .then()
                .statusCode(404)
                .header("X-Error-Code", "RevisionNotFound");
    }

    @Test
    void expandOnTheListingAddsTheFilesTheCardAndTheCommitOfEachModel() {
        stub.json("search", 200, """
                {"total":2,"size":2,"items":[
                 {"id":"acme/tiny","listingId":"6f1c2a52-0000-4000-8000-000000000001","task":"sentiment-analysis",
                  "stats":{"downloads":12,"likes":3},"updatedAt":"2026-11-23T08:30:00Z"},
                 {"id":"acme/gone","listingId":"6f1c2a52-0000-4000-8000-000000000009","stats":{}}]}""");
        stub.answer("catalog", (request, response) -> {
            if (request.uri().equals("/api/v1/listings/acme/tiny")) {
                catalog(request, response, "free", false, "public");
            } else {
                problem(response, 404, "listing-not-found", "No listing");
            }
        });
        Response response = given().when()
                .get("/api/models?author=acme&expand=siblings&expand=cardData&expand=sha&expand[]=downloads")
                .andReturn();
        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray models = new JsonArray(response.asString());
        // acme/gone was indexed but catalog no longer shows it: left out, not an error.
        assertThat(models).hasSize(1);
        JsonObject tiny = models.getJsonObject(0);
        assertThat(tiny.fieldNames())
                .containsExactlyInAnyOrder("_id", "id", "siblings", "cardData", "sha", "downloads");
        assertThat(tiny.getString("sha")).isEqualTo(COMMIT);
        assertThat(tiny.getJsonArray("siblings").stream().map(s -> ((JsonObject) s).getString("rfilename")))
                .containsExactly("config.json", "sub/dir/model.safetensors");
        assertThat(tiny.getJsonObject("cardData").getString("license")).isEqualTo("apache-2.0");
        assertThat(tiny.getJsonObject("cardData").getString("library_name")).isEqualTo("transformers");
        assertThat(tiny.getInteger("downloads")).isEqualTo(12);
        assertThat(stub.calls("artifact").stream().map(DownstreamStub.Recorded::uri))
                .contains("/api/v1/listings/acme/tiny/tree/main?recursive=true");

        // Without expand, the listing's default fields and no reads per model; Python's full and cardData add the
        // files and the card to them.
        stub.reset();
        stub.answer("catalog", (request, response2) -> catalog(request, response2, "free", false, "public"));
        stub.answer("artifact", HubReadApiTest::artifact);
        stub.json("search", 200, """
                {"total":1,"size":1,"items":[{"id":"acme/tiny","listingId":"x","stats":{"downloads":1}}]}""");
        JsonObject plain = new JsonArray(given().when().get("/api/models").asString()).getJsonObject(0);
        assertThat(plain.fieldNames())
                .contains("_id", "id", "downloads", "likes", "private", "gated", "tags")
                .doesNotContain("siblings", "cardData", "sha");
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
        JsonObject full = new JsonArray(given().when()
                        .get("/api/models?full=True&cardData=True")
                        .asString())
                .getJsonObject(0);
        assertThat(full.fieldNames()).contains("_id", "id", "downloads", "tags", "siblings", "cardData", "sha");
        assertThat(full.getJsonObject("cardData").getString("license")).isEqualTo("apache-2.0");
    }

    @Test
    void anUnknownExpandIsA400NamingItBeforeAnyServiceIsAsked() {
        for (String url : List.of(
                "/api/models?expand=downloads&expand=bogus",
                "/api/models/acme/tiny?expand[]=bogus",
                "/api/models/acme/tiny/revision/main?expand=bogus")) {
            Response response =
                    given().urlEncodingEnabled(false).when().get(url).andReturn();
            assertThat(response.statusCode()).as(url).isEqualTo(400);
            assertThat(response.contentType()).as(url).startsWith("application/json");
            assertThat(response.header("X-Error-Code")).as(url).isNull();
            assertThat(response.header("X-Error-Message")).as(url).contains("\"bogus\"", "siblings", "cardData");
            assertThat(response.jsonPath().getString("error")).as(url).isEqualTo(response.header("X-Error-Message"));
        }
        assertThat(stub.calls("search")).isEmpty();
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
    }

    @Test
    void aLongTreeIsPagedByAnAbsoluteLinkTheClientsFollow() {
        given().when()
                .get("/api/models/acme/tiny/tree/main/many?recursive=false&expand=false")
                .then()
                .statusCode(200)
                .body("$", hasSize(1000));
        Response first = given().when()
                .get("/api/models/acme/tiny/tree/main/many?recursive=false&expand=false")
                .andReturn();
        Matcher link = JS_LINK.matcher(first.header("Link"));
        assertThat(link.matches()).as("Link %s", first.header("Link")).isTrue();
        assertThat(link.group(2)).isEqualTo("next");
        String next = link.group(1);
        assertThat(next)
                .startsWith("http://localhost:")
                .contains("/api/models/acme/tiny/tree/main/many?recursive=false&expand=false&cursor=1000");
        given().urlEncodingEnabled(false)
                .when()
                .get(next.substring(next.indexOf("/api/models")))
                .then()
                .statusCode(200)
                .header("Link", nullValue())
                .header("X-Repo-Commit", COMMIT)
                .body("path", equalTo(List.of("many/f1000.txt")));
    }

    // ---- §6.10-6.11 gated, paid, private ----

    @Test
    void gatedDownloadIsGatedRepo401AnonymousAnd403WithTokenNamingWhereToAccept() {
        stub.answer("artifact", (request, response) -> {
            boolean anonymous = request.header("Authorization") == null;
            if (!anonymous) {
                // As artifact-service does: the URL also in a Link header, which is all a HEAD answer has.
                response.putHeader(
                        "Link",
                        "<http://localhost/api/v1/listings/acme/tiny/terms/acceptance>; rel=\"terms-acceptance\"");
            }
            problem(
                    response,
                    anonymous ? 401 : 403,
                    anonymous ? "login-required" : "terms-not-accepted",
                    "acme/tiny is gated: read its terms at http://localhost/listings/acme/tiny and accept them with "
                            + "POST http://localhost/api/v1/listings/acme/tiny/terms/acceptance, then retry.");
        });
        given().when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(401)
                .header("X-Error-Code", "GatedRepo")
                .contentType("application/json")
                .body("error", containsString("acme/tiny"));
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .head("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(403)
                .header("X-Error-Code", "GatedRepo")
                .header("X-Error-Message", containsString("/terms/acceptance"));
    }

    @Test
    void paidDownloadWithoutEntitlementIsGatedRepo403NamingWhereToSubscribe() {
        stub.answer(
                "artifact",
                (request, response) -> problem(
                        response,
                        402,
                        "subscription-required",
                        "acme/tiny is a paid listing: subscribe at http://localhost/listings/acme/tiny/pricing to download"));
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(403)
                .header("X-Error-Code", "GatedRepo")
                .body("error", containsString("/pricing"))
                .body("error", containsString("GET /api/v1/listings/acme/tiny/pricing lists the plans"))
                .body("error", containsString("POST /api/v1/subscriptions"))
                .body("error", containsString("\"termsVersion\""));
    }

    @Test
    void aRefusalThatNamesTheSubscriptionApiIsNotToldItTwice() {
        // What artifact-service says since it names the API itself (a web page at /listings/... does not exist).
        String detail = "acme/tiny is a paid listing: subscribe at http://localhost/api/v1/subscriptions to download"
                + " its weights (POST {\"listing\": \"acme/tiny\", \"plan\": <a plan's code>, \"termsVersion\":"
                + " <the pricing's version>}; GET http://localhost/api/v1/listings/acme/tiny/pricing lists the plans).";
        stub.answer("artifact", (request, response) -> problem(response, 402, "subscription-required", detail));
        String error = given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/acme/tiny/resolve/main/sub/dir/model.safetensors")
                .then()
                .statusCode(403)
                .header("X-Error-Code", "GatedRepo")
                .extract()
                .path("error");
        assertThat(error).isEqualTo("Access to model acme/tiny is restricted. " + detail);
    }

    @Test
    void privateRepoIsRepoNotFoundOnEveryEndpoint() {
        stub.json("catalog", 404, """
                {"type":"https://modelmarket.org/problems/listing-not-found","status":404}""");
        stub.json("artifact", 404, """
                {"type":"https://modelmarket.org/problems/listing-not-found","status":404}""");
        for (String url : List.of(
                "/api/models/acme/secret",
                "/api/models/acme/secret/tree/main",
                "/acme/secret/resolve/main/config.json")) {
            given().when().get(url).then().statusCode(401).header("X-Error-Code", "RepoNotFound");
            given().header("Authorization", TestTokens.bearer("bob"))
                    .when()
                    .get(url)
                    .then()
                    .statusCode(404)
                    .header("X-Error-Code", "RepoNotFound");
        }
        // The lockfile is a route of /api/v1: the listing's problem, a 404 for anonymous callers too.
        for (String bearer : java.util.Arrays.asList(null, TestTokens.bearer("bob"))) {
            var request = given();
            if (bearer != null) {
                request.header("Authorization", bearer);
            }
            request.when()
                    .get("/api/v1/listings/acme/secret/lock")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .header("X-Error-Code", nullValue())
                    .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"));
        }
        given().contentType("application/json")
                .body("{\"paths\":[\"a\"]}")
                .when()
                .post("/api/models/acme/secret/paths-info/main")
                .then()
                .statusCode(401)
                .header("X-Error-Code", "RepoNotFound");
    }

    // ---- §6.13 whoami ----

    @Test
    void whoamiDescribesTheTokensUser() {
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("type", equalTo("user"))
                .body("id", equalTo("alice"))
                .body("name", equalTo("alice"))
                .body("email", equalTo("alice@example.test"))
                .body("orgs", notNullValue())
                .body("auth.type", equalTo("access_token"))
                .body("auth.accessToken.role", equalTo("write"))
                .body("auth.accessToken.createdAt", matchesPattern(DATE));
        given().header("Authorization", TestTokens.bearer("bob", "buyer"))
                .when()
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("auth.accessToken.role", equalTo("read"));
        given().when()
                .get("/api/whoami-v2")
                .then()
                .statusCode(401)
                .header("X-Error-Message", "Invalid credentials in Authorization header");
    }

    // ---- lockfile ----

    @Test
    void lockfileResolvesTheRevisionToEveryFilesDigest() {
        given().when()
                .get("/api/v1/listings/acme/tiny/lock?rev=1.0.0")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .header("X-Repo-Commit", OTHER_COMMIT)
                .body("listing", equalTo("acme/tiny"))
                .body("revision", equalTo("1.0.0"))
                .body("commit", equalTo(OTHER_COMMIT))
                .body("files.path", equalTo(List.of("config.json", "sub/dir/model.safetensors")))
                .body("files[1].sha256", equalTo(WEIGHTS_SHA))
                .body("files[1].size", equalTo(WEIGHTS.length))
                .body("totalSize", equalTo(WEIGHTS.length + CONFIG.length));

        String text = given().accept("text/plain")
                .when()
                .get("/api/v1/listings/acme/tiny/lock")
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .extract()
                .asString();
        assertThat(text).startsWith("# modelmarket-lock 1\n").contains("# commit " + COMMIT + "\n");
        assertThat(text).endsWith(CONFIG_SHA + "  config.json\n" + WEIGHTS_SHA + "  sub/dir/model.safetensors\n");
        assertThat(given().when()
                        .get("/api/v1/listings/acme/tiny/lock?format=text")
                        .asString())
                .isEqualTo(text);

        given().when()
                .get("/api/v1/listings/acme/tiny/lock?format=yaml")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("errors[0].field", equalTo("format"));
        given().when()
                .get("/api/v1/listings/acme/tiny/lock?rev=nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("X-Error-Code", nullValue())
                .body("type", equalTo("https://modelmarket.org/problems/revision-not-found"))
                .body("detail", containsString("nope"));
    }

    // ---- the scripted services ----

    static void catalog(
            DownstreamStub.Recorded request,
            HttpServerResponse response,
            String price,
            boolean gated,
            String visibility) {
        JsonObject listing = new JsonObject()
                .put("listingId", "6f1c2a52-0000-4000-8000-000000000001")
                .put("id", "acme/tiny")
                .put("namespace", "acme")
                .put("name", "tiny")
                .put("modelCard", CARD)
                .put("task", "sentiment-analysis")
                .put("license", "apache-2.0")
                .put("tags", new JsonArray().add("bert"))
                .put("frameworks", new JsonArray().add("pytorch").add("transformers"))
                .put("priceType", price)
                .put("visibility", visibility)
                .put("gated", gated)
                .put("stats", new JsonObject().put("downloads", 5).put("likes", 1))
                .put("createdAt", "2026-11-20T10:00:00Z")
                .put("updatedAt", "2026-11-21T10:00:00.5Z");
        response.setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .end(listing.encode());
    }

    static final JsonObject LAST = new JsonObject()
            .put("id", COMMIT)
            .put("message", "Add weights\n\nfp16")
            .put("date", "2026-11-21T10:00:00Z");

    static JsonObject file(String path, byte[] content) {
        return new JsonObject()
                .put("type", "file")
                .put("path", path)
                .put("size", content.length)
                .put("sha256", Bytes.sha256(content))
                .put("lastCommit", LAST);
    }

    static JsonObject dir(String path, long size) {
        return new JsonObject()
                .put("type", "directory")
                .put("path", path)
                .put("size", size)
                .put("lastCommit", LAST);
    }

    /** artifact-service: commits, trees and files of acme/tiny at main, HEAD, 1.0.0 and the commit id. */
    static void artifact(DownstreamStub.Recorded request, HttpServerResponse response) {
        String uri = request.uri();
        if (uri.startsWith(SIGNED)) {
            // The signed URL: self-authorizing, it names the file and the commit.
            String[] signed = new String(
                            java.util.Base64.getUrlDecoder().decode(uri.substring(SIGNED.length())),
                            StandardCharsets.UTF_8)
                    .split("\\|");
            serve(
                    request,
                    response,
                    Map.of("config.json", CONFIG, "sub/dir/model.safetensors", WEIGHTS)
                            .get(signed[0]),
                    signed[1]);
            return;
        }
        String prefix = "/api/v1/listings/acme/tiny/";
        if (!uri.startsWith(prefix)) {
            problem(response, 404, "listing-not-found", "No listing");
            return;
        }
        String rest = uri.substring(prefix.length());
        String path = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
        String query = rest.contains("?") ? rest.substring(rest.indexOf('?') + 1) : "";
        if (path.startsWith("commits/")) {
            String revision = URLDecoder.decode(path.substring("commits/".length()), StandardCharsets.UTF_8);
            String commit = commitOf(revision);
            if (commit == null) {
                problem(response, 404, "revision-not-found", "acme/tiny has no revision " + revision);
            } else {
                json(response, new JsonObject().put("id", commit).put("message", "m"));
            }
        } else if (path.startsWith("tree/")) {
            String[] parts = path.substring("tree/".length()).split("/", 2);
            String revision = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            String commit = commitOf(revision);
            if (commit == null) {
                problem(response, 404, "revision-not-found", "Listing acme/tiny has no revision " + revision);
                return;
            }
            String folder = parts.length > 1 ? parts[1] : "";
            boolean recursive = query.contains("recursive=true");
            JsonArray entries = new JsonArray();
            if (folder.isEmpty() && recursive) {
                entries.add(file("config.json", CONFIG))
                        .add(dir("sub", WEIGHTS.length))
                        .add(dir("sub/dir", WEIGHTS.length))
                        .add(file("sub/dir/model.safetensors", WEIGHTS));
            } else if (folder.isEmpty()) {
                entries.add(file("config.json", CONFIG)).add(dir("sub", WEIGHTS.length));
            } else if (folder.equals("sub/dir")) {
                entries.add(file("sub/dir/model.safetensors", WEIGHTS));
            } else if (folder.equals("many")) {
                for (int i = 0; i <= 1000; i++) {
                    entries.add(file("many/f" + i + ".txt", CONFIG));
                }
            } else {
                problem(response, 404, "file-not-found", "No " + folder);
                return;
            }
            json(response, new JsonObject().put("commit", commit).put("entries", entries));
        } else if (path.startsWith("files/")) {
            String file = path.substring("files/".length());
            String revision = URLDecoder.decode(query.substring("revision=".length()), StandardCharsets.UTF_8);
            String commit = commitOf(revision);
            byte[] content = Map.of("config.json", CONFIG, "sub/dir/model.safetensors", WEIGHTS)
                    .get(file);
            if (commit == null) {
                problem(response, 404, "revision-not-found", "No revision " + revision);
            } else if (content == null) {
                problem(response, 404, "file-not-found", "No file " + file);
            } else if ("signed".equals(request.header("X-ModelMarket-Redirect"))) {
                // As artifact-service does, after the same access checks: a 307 to the signed URL on the gateway,
                // with the Hub's headers on the 307 itself.
                String token = java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        // A new URL each time, as artifact-service signs each with its own expiry.
                        .encodeToString((file + "|" + commit + "|" + SIGNED_SERIAL.incrementAndGet())
                                .getBytes(StandardCharsets.UTF_8));
                response.setStatusCode(307)
                        .putHeader("Location", gateway + SIGNED.substring(1) + token)
                        .putHeader("ETag", '"' + Bytes.sha256(content) + '"')
                        .putHeader("X-Linked-Etag", '"' + Bytes.sha256(content) + '"')
                        .putHeader("X-Linked-Size", Integer.toString(content.length))
                        .putHeader("X-Repo-Commit", commit)
                        .putHeader("Cache-Control", "private, no-store")
                        .end();
            } else {
                serve(request, response, content, commit);
            }
        } else {
            problem(response, 404, "not-found", "no route");
        }
    }

    static final String SIGNED = "/api/v1/signed/";

    static final java.util.concurrent.atomic.AtomicLong SIGNED_SERIAL = new java.util.concurrent.atomic.AtomicLong();

    /** The gateway's base URL (ending in {@code /}), where signed URLs point, as artifact-service's public URL. */
    static volatile String gateway = "http://localhost:8081/";

    static String commitOf(String revision) {
        return switch (revision) {
            case "main", "HEAD", COMMIT -> COMMIT;
            case "1.0.0", OTHER_COMMIT -> OTHER_COMMIT;
            default -> null;
        };
    }

    /** Serves bytes as artifact-service does: whole, or one range (206/416). */
    static void serve(DownstreamStub.Recorded request, HttpServerResponse response, byte[] content, String commit) {
        response.putHeader("ETag", '"' + Bytes.sha256(content) + '"')
                .putHeader("X-Repo-Commit", commit)
                .putHeader("X-Checksum-Sha256", Bytes.sha256(content))
                .putHeader("Accept-Ranges", "bytes")
                .putHeader("Content-Type", "application/octet-stream");
        String range = request.header("Range");
        int first = 0;
        int last = content.length - 1;
        if (range != null) {
            String[] bounds = range.substring("bytes=".length()).split("-", -1);
            first = Integer.parseInt(bounds[0]);
            last = bounds[1].isEmpty() ? content.length - 1 : Math.min(content.length - 1, Integer.parseInt(bounds[1]));
            if (first >= content.length) {
                response.putHeader("Content-Range", "bytes */" + content.length);
                problem(response, 416, "range-not-satisfiable", "past the end");
                return;
            }
            response.setStatusCode(206)
                    .putHeader("Content-Range", "bytes " + first + "-" + last + "/" + content.length);
        }
        if (request.method().equals("HEAD")) {
            response.putHeader("Content-Length", Integer.toString(content.length))
                    .end();
        } else {
            response.end(Buffer.buffer(java.util.Arrays.copyOfRange(content, first, last + 1)));
        }
    }

    static void json(HttpServerResponse response, JsonObject body) {
        response.setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    static void problem(HttpServerResponse response, int status, String slug, String detail) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject()
                        .put("type", "https://modelmarket.org/problems/" + slug)
                        .put("status", status)
                        .put("detail", detail)
                        .encode());
    }
}
