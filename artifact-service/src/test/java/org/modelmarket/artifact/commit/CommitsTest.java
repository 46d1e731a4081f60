package org.modelmarket.artifact.commit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.modelmarket.artifact.TestListings.ALICE;
import static org.modelmarket.artifact.TestListings.PROBLEM;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * File history against real PostgreSQL and Kafka: atomic commits with deletions, ids recomputed here from the files
 * by an independent implementation of the README's recipe, trees with last-changing commits, revision resolution
 * (commit id, main, a catalog version), the CommitCreated event, and bad input and callers who may not commit.
 */
@QuarkusTest
class CommitsTest {

    private static final String BUYER = TestTokens.bearer("bob", "buyer");
    private static final String CAROL = TestTokens.bearer("carol", "vendor");

    @Inject
    Pool pool;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void atomicCommitsHaveRecomputableIdsTreesAndHistory() throws Exception {
        Ref ref = TestListings.create("commits");
        Map<String, String> files1 = new TreeMap<>(Map.of(
                "README.md", "# Model\n",
                "config.json", "{\"layers\":12}",
                "onnx/model.onnx", "weights-v1"));

        JsonPath first = commit(
                        ref,
                        "Initial files",
                        null,
                        List.of(
                                add("README.md", files1.get("README.md")),
                                add("config.json", files1.get("config.json")),
                                add("onnx/model.onnx", files1.get("onnx/model.onnx"))))
                .then()
                .statusCode(201)
                .body("created", equalTo(true))
                .body("parent", nullValue())
                .body("fileCount", equalTo(3))
                .extract()
                .jsonPath();
        String c1 = first.getString("id");
        assertThat(c1).isEqualTo(recompute(ref, null, "Initial files", files1));

        // Second commit: one file replaced, one deleted, one added, atomically.
        Map<String, String> files2 = new TreeMap<>(files1);
        files2.put("onnx/model.onnx", "weights-v2");
        files2.remove("config.json");
        files2.put("tokenizer/vocab.txt", "a\nb\n");
        String c2 = commit(
                        ref,
                        "Swap weights\nand drop the config",
                        c1,
                        List.of(
                                add("onnx/model.onnx", "weights-v2"),
                                Map.of("op", "delete", "path", "config.json"),
                                add("tokenizer/vocab.txt", "a\nb\n")))
                .then()
                .statusCode(201)
                .body("parent", equalTo(c1))
                .body("changedPaths", contains("onnx/model.onnx", "tokenizer/vocab.txt"))
                .body("deletedPaths", contains("config.json"))
                .extract()
                .path("id");
        assertThat(c2).isEqualTo(recompute(ref, c1, "Swap weights\nand drop the config", files2));

        // main is the newest; the history lists both, newest first.
        given().get(ref.base() + "/commits/main").then().statusCode(200).body("id", equalTo(c2));
        given().get(ref.base() + "/commits").then().statusCode(200).body("commits.id", contains(c2, c1));

        // The old commit still resolves, with its deleted file and old bytes.
        given().get(ref.file("config.json") + "?revision=" + c1)
                .then()
                .statusCode(200)
                .body(equalTo("{\"layers\":12}"));
        given().get(ref.file("config.json"))
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/file-not-found"));
        assertThat(given().get(ref.file("onnx/model.onnx") + "?revision=" + c1).asString())
                .isEqualTo("weights-v1");
        assertThat(given().get(ref.file("onnx/model.onnx")).asString()).isEqualTo("weights-v2");

        // The root of the tree: direct children only, each with the commit that last changed it.
        JsonPath root = given().get(ref.base() + "/tree/main")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(root.getString("commit")).isEqualTo(c2);
        assertThat(root.getList("entries.path", String.class)).containsExactly("README.md", "onnx", "tokenizer");
        assertThat(root.getList("entries.type", String.class)).containsExactly("file", "directory", "directory");
        assertThat(root.getString("entries[0].lastCommit.id")).isEqualTo(c1);
        assertThat(root.getString("entries[0].sha256")).isEqualTo(TestListings.sha256("# Model\n"));
        assertThat(root.getString("entries[0].scan.verdict")).isEqualTo("NOT_SCANNED");
        assertThat(root.getString("entries[1].lastCommit.id")).isEqualTo(c2);
        assertThat(root.getLong("entries[1].size")).isEqualTo("weights-v2".length());

        // Recursive: every file and folder.
        given().get(ref.base() + "/tree/main?recursive=true")
                .then()
                .statusCode(200)
                .body(
                        "entries.path",
                        contains("README.md", "onnx", "onnx/model.onnx", "tokenizer", "tokenizer/vocab.txt"));
        // One folder, by commit id; a missing folder is a 404.
        given().get(ref.base() + "/tree/" + c1 + "/onnx")
                .then()
                .statusCode(200)
                .body("entries.path", contains("onnx/model.onnx"))
                .body("entries[0].lastCommit.id", equalTo(c1));
        given().get(ref.base() + "/tree/main/nothing-here")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        given().get(ref.base() + "/tree/" + "0".repeat(40))
                .then()
                .statusCode(404)
                .body("type", equalTo("https://modelmarket.org/problems/revision-not-found"));

        // Files list of an old revision.
        given().get(ref.base() + "/files?revision=" + c1)
                .then()
                .statusCode(200)
                .body("commit", equalTo(c1))
                .body("files.path", contains("README.md", "config.json", "onnx/model.onnx"));

        // CommitCreated went to the outbox with the commit's data and aggregateversion = its place in the history.
        JsonNode event = commitEvent(ref.id(), c2);
        assertThat(event.get("type").asText()).isEqualTo("org.modelmarket.artifact.CommitCreated");
        assertThat(event.get("aggregateversion").asLong()).isEqualTo(2);
        assertThat(event.at("/data/parent").asText()).isEqualTo(c1);
        assertThat(event.at("/data/listing").asText()).isEqualTo(ref.namespace() + "/model");
        assertThat(event.at("/data/deletedPaths/0").asText()).isEqualTo("config.json");
        assertThat(event.at("/data/totalSize").asLong())
                .isEqualTo(files2.values().stream()
                        .mapToLong(v -> v.getBytes(StandardCharsets.UTF_8).length)
                        .sum());
        assertThat(event.at("/data/scan/notScanned").asInt()).isEqualTo(3);
    }

    @Test
    void singleUploadsAndDeletionsAreCommitsToo() {
        Ref ref = TestListings.create("commits-put");
        String c1 = TestListings.uploaded(ref, "a.bin", "one");
        assertThat(c1).isEqualTo(recompute(ref, null, "Upload a.bin", Map.of("a.bin", "one")));

        // The same bytes again change nothing: no new commit.
        TestListings.upload(ref, "a.bin", "one".getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .body("commit", equalTo(c1))
                .body("created", equalTo(false));

        String c2 = given().header("Authorization", ALICE)
                .header("X-Commit-Message", "Remove it")
                .when()
                .delete(ref.file("a.bin"))
                .then()
                .statusCode(200)
                .body("deletedPaths", contains("a.bin"))
                .body("fileCount", equalTo(0))
                .extract()
                .path("id");
        assertThat(c2).isEqualTo(recompute(ref, c1, "Remove it", Map.of()));
        given().header("Authorization", ALICE)
                .when()
                .delete(ref.file("a.bin"))
                .then()
                .statusCode(404);
    }

    @Test
    void listingsWithTheSameFilesParentAndMessageGetDistinctIds() {
        Ref first = TestListings.create("commits-twin");
        Ref second = TestListings.create("commits-twin");
        String a = TestListings.uploaded(first, "w.bin", "same bytes");
        String b = TestListings.uploaded(second, "w.bin", "same bytes");

        assertThat(a).isNotEqualTo(b);
        assertThat(a).isEqualTo(recompute(first, null, "Upload w.bin", Map.of("w.bin", "same bytes")));
        assertThat(b).isEqualTo(recompute(second, null, "Upload w.bin", Map.of("w.bin", "same bytes")));
        // Each id resolves in its own listing only.
        given().get(first.base() + "/commits/" + a).then().statusCode(200).body("id", equalTo(a));
        given().get(second.base() + "/commits/" + b).then().statusCode(200).body("id", equalTo(b));
        given().get(first.base() + "/commits/" + b).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void catalogVersionsNameCommits() {
        Ref ref = TestListings.create("commits-ver");
        String c1 = TestListings.uploaded(ref, "w.bin", "v1");
        TestListings.uploaded(ref, "w.bin", "v2");

        String event = """
                {"specversion":"1.0","id":"%s","source":"/catalog-service","type":"org.modelmarket.catalog.VersionPublished",
                 "subject":"%s","time":"2026-11-29T10:00:00Z","datacontenttype":"application/json","aggregateversion":3,
                 "data":{"listingId":"%s","id":"%s/model","aggregateVersion":3,"version":"1.0.0","releaseNotes":"first",
                         "commit":"%s"}}
                """.formatted(UUID.randomUUID(), ref.id(), ref.id(), ref.namespace(), c1);
        ListingEvents.send("catalog.events", ref.id().toString(), event);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get(ref.file("w.bin") + "?revision=1.0.0")
                        .then()
                        .statusCode(200)
                        .header("X-Repo-Commit", c1)
                        .body(equalTo("v1")));
        given().get(ref.base() + "/commits/1.0.0").then().statusCode(200).body("id", equalTo(c1));
        given().get(ref.file("w.bin") + "?revision=2.0.0")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://modelmarket.org/problems/revision-not-found"));
    }

    @Test
    void conflictsAndBadCommitsAreRefusedAndChangeNothing() {
        Ref ref = TestListings.create("commits-bad");
        String c1 = TestListings.uploaded(ref, "dir/file.bin", "x");

        // Stale parent.
        commit(ref, "late", "f".repeat(40), List.of(add("b.txt", "b")))
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/parent-mismatch"));
        // A file where a folder is, and a file under a file.
        commit(ref, "clash", null, List.of(add("dir", "d")))
                .then()
                .statusCode(409)
                .body("type", equalTo("https://modelmarket.org/problems/path-conflict"));
        commit(ref, "clash", null, List.of(add("dir/file.bin/x", "d")))
                .then()
                .statusCode(409)
                .body("type", equalTo("https://modelmarket.org/problems/path-conflict"));
        // Content never uploaded to this listing, named by digest.
        commit(ref, "steal", null, List.of(Map.of("op", "add", "path", "s.bin", "sha256", "a".repeat(64))))
                .then()
                .statusCode(422)
                .body("type", equalTo("https://modelmarket.org/problems/unknown-blob"));
        // Inline content that does not match its declared digest.
        commit(
                        ref,
                        "bad",
                        null,
                        List.of(Map.of("op", "add", "path", "c.bin", "content", b64("c"), "sha256", "b".repeat(64))))
                .then()
                .statusCode(422)
                .body("type", equalTo("https://modelmarket.org/problems/checksum-mismatch"));
        // Validation: no operations, traversal, bad base64, no message, unknown op.
        commit(ref, "empty", null, List.of()).then().statusCode(400).contentType(PROBLEM);
        commit(ref, "trav", null, List.of(add("../etc/passwd", "x")))
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("operations[0].path"));
        commit(ref, "b64", null, List.of(Map.of("op", "add", "path", "z.bin", "content", "***")))
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("operations[0].content"));
        commit(ref, "", null, List.of(add("y.bin", "y")))
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("message"));
        commit(ref, "op", null, List.of(Map.of("op", "rename", "path", "y.bin")))
                .then()
                .statusCode(400);

        // A body above upload.commit-body-max-size (2M in tests) is refused before it is read.
        // (three files each below upload.max-size, so only the body limit can refuse them)
        commit(
                        ref,
                        "huge",
                        null,
                        List.of(
                                add("h1.bin", "x".repeat(900_000)),
                                add("h2.bin", "y".repeat(900_000)),
                                add("h3.bin", "z".repeat(900_000))))
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/file-too-large"));
        // Nothing of it landed.
        given().get(ref.base() + "/commits").then().statusCode(200).body("commits.id", contains(c1));

        // Content the listing already holds may be committed by digest (a copy), atomically with a deletion.
        commit(
                        ref,
                        "copy",
                        c1,
                        List.of(
                                Map.of("op", "add", "path", "copy.bin", "sha256", TestListings.sha256("x")),
                                Map.of("op", "delete", "path", "dir")))
                .then()
                .statusCode(201)
                .body("deletedPaths", contains("dir/file.bin"));
    }

    @Test
    void onlyOwnersMayCommit() {
        Ref ref = TestListings.create("commits-auth");
        List<Map<String, String>> ops = List.of(add("a.txt", "a"));
        given().contentType("application/json")
                .body(Map.of("message", "m", "operations", ops))
                .post(ref.base() + "/commits")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        for (String token : List.of(BUYER, CAROL)) {
            given().header("Authorization", token)
                    .contentType("application/json")
                    .body(Map.of("message", "m", "operations", ops))
                    .post(ref.base() + "/commits")
                    .then()
                    .statusCode(403)
                    .contentType(PROBLEM);
            given().header("Authorization", token)
                    .delete(ref.file("a.txt"))
                    .then()
                    .statusCode(403);
        }
        given().get(ref.base() + "/commits").then().statusCode(200).body("commits", org.hamcrest.Matchers.empty());
        given().get("/api/v1/listings/nope/nope/commits").then().statusCode(404).contentType(PROBLEM);
        given().get(ref.base() + "/commits?limit=0").then().statusCode(400).contentType(PROBLEM);
    }

    /**
     * The README's recipe, written again here: SHA-256 over "modelmarket-commit 2", the listing's namespace/name, the
     * parent, the message with its UTF-8 length, and "sha256 size path" lines sorted by path; the id is its first 40
     * hex digits.
     */
    static String recompute(Ref ref, String parent, String message, Map<String, String> files) {
        byte[] messageBytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder();
        text.append("modelmarket-commit 2\n");
        text.append("listing ")
                .append(ref.namespace())
                .append('/')
                .append(ref.name())
                .append("\n");
        text.append("parent ").append(parent == null ? "-" : parent).append("\n");
        text.append("message ")
                .append(messageBytes.length)
                .append("\n")
                .append(message)
                .append("\n");
        List<String> paths = new ArrayList<>(new TreeMap<>(files).keySet()); // ASCII paths: byte order = String order
        for (String path : paths) {
            byte[] content = files.get(path).getBytes(StandardCharsets.UTF_8);
            text.append(TestListings.sha256(content))
                    .append(' ')
                    .append(content.length)
                    .append(' ')
                    .append(path)
                    .append('\n');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Response commit(Ref ref, String message, String parent, List<? extends Map<String, String>> operations) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("message", message);
        if (parent != null) {
            body.put("parent", parent);
        }
        body.put("operations", operations);
        return given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(body)
                .when()
                .post(ref.base() + "/commits");
    }

    static Map<String, String> add(String path, String content) {
        return Map.of("op", "add", "path", path, "content", b64(content));
    }

    static String b64(String content) {
        return Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode commitEvent(UUID listingId, String commit) throws Exception {
        for (Row row : pool.preparedQuery("select payload::text as p from outbox where aggregateid = $1 and type = $2")
                .execute(Tuple.of(listingId.toString(), "org.modelmarket.artifact.CommitCreated"))
                .await()
                .atMost(Duration.ofSeconds(10))) {
            JsonNode event = json.readTree(row.getString("p"));
            if (commit.equals(event.at("/data/commit").asText())) {
                return event;
            }
        }
        throw new AssertionError("No CommitCreated for " + commit);
    }
}
