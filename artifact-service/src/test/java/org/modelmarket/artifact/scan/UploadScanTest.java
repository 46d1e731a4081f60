package org.modelmarket.artifact.scan;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.modelmarket.artifact.TestListings.ALICE;
import static org.modelmarket.artifact.TestListings.OCTETS;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Scan verdicts end to end, through the real upload paths and PostgreSQL: a malicious pickle (single upload) and a
 * malicious PyTorch checkpoint (multipart upload) are shown UNSAFE with the offending import in the upload answer,
 * the tree, the file list, the commit and its CommitCreated event; a benign pickle beside them stays SAFE.
 */
@QuarkusTest
class UploadScanTest {

    @Inject
    Pool pool;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void maliciousPicklesAreMarkedUnsafeWhereverTheFileIsShown() throws Exception {
        Ref ref = TestListings.create("scan");
        TestListings.upload(ref, "benign.pkl", fixture("benign-protocol4.pkl"))
                .then()
                .statusCode(201)
                .body("scan.verdict", equalTo("SAFE"));
        TestListings.upload(ref, "model.pkl", fixture("malicious-os-system-protocol4.pkl"))
                .then()
                .statusCode(201)
                .body("scan.verdict", equalTo("UNSAFE"))
                .body("scan.findings", contains("posix.system"));

        // A zip-wrapped PyTorch checkpoint through the multipart path, in two parts.
        byte[] checkpoint = fixture("pytorch-checkpoint-malicious.pt");
        int half = checkpoint.length / 2;
        String id = given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of(
                        "path",
                        "weights/model.ckpt",
                        "size",
                        checkpoint.length,
                        "sha256",
                        TestListings.sha256(checkpoint)))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        part(ref, id, 1, Arrays.copyOfRange(checkpoint, 0, half));
        part(ref, id, 2, Arrays.copyOfRange(checkpoint, half, checkpoint.length));
        String commit = given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("message", "Add a checkpoint"))
                .post(ref.base() + "/uploads/" + id + "/complete")
                .then()
                .statusCode(201)
                .body("scan.verdict", equalTo("UNSAFE"))
                .body("scan.findings", contains("posix.system"))
                .body("commit.unsafe", equalTo(true))
                .body("commit.unsafeFiles", equalTo(2))
                .extract()
                .path("commit.id");

        // The commit warns, and the tree and the file list say which files and why.
        given().get(ref.base() + "/commits/main")
                .then()
                .statusCode(200)
                .body("id", equalTo(commit))
                .body("unsafe", equalTo(true))
                .body("unsafeFiles", equalTo(2));
        JsonPath tree = given().get(ref.base() + "/tree/main?recursive=true")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(tree.getString("entries.find { it.path == 'model.pkl' }.scan.verdict"))
                .isEqualTo("UNSAFE");
        assertThat(tree.getList("entries.find { it.path == 'model.pkl' }.scan.findings"))
                .containsExactly("posix.system");
        assertThat(tree.getString("entries.find { it.path == 'weights/model.ckpt' }.scan.verdict"))
                .isEqualTo("UNSAFE");
        assertThat(tree.getString("entries.find { it.path == 'benign.pkl' }.scan.verdict"))
                .isEqualTo("SAFE");
        given().get(ref.base() + "/files")
                .then()
                .statusCode(200)
                .body("files.find { it.path == 'model.pkl' }.scan.verdict", equalTo("UNSAFE"))
                .body("files.find { it.path == 'benign.pkl' }.scan.verdict", equalTo("SAFE"));

        // CommitCreated lists the unsafe files with their findings, for catalog and the web page to warn.
        JsonNode event = commitEvent(ref, commit);
        assertThat(event.at("/data/scan/safe").asInt()).isEqualTo(1);
        assertThat(event.at("/data/scan/unsafe")).hasSize(2);
        assertThat(event.at("/data/scan/unsafe").findValuesAsText("path"))
                .containsExactlyInAnyOrder("model.pkl", "weights/model.ckpt");
        assertThat(event.at("/data/scan/unsafe/0/findings/0").asText()).isEqualTo("posix.system");
    }

    private static void part(Ref ref, String id, int number, byte[] bytes) {
        given().header("Authorization", ALICE)
                .header("X-Checksum-Sha256", TestListings.sha256(bytes))
                .contentType(OCTETS)
                .body(bytes)
                .put(ref.base() + "/uploads/" + id + "/parts/" + number)
                .then()
                .statusCode(200);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = UploadScanTest.class.getResourceAsStream("/scan/" + name)) {
            return in.readAllBytes();
        }
    }

    private JsonNode commitEvent(Ref ref, String commit) throws Exception {
        for (Row row : pool.preparedQuery("select payload::text as p from outbox where aggregateid = $1 and type = $2")
                .execute(Tuple.of(ref.id().toString(), "org.modelmarket.artifact.CommitCreated"))
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
