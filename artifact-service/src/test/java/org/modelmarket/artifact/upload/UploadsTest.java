package org.modelmarket.artifact.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.modelmarket.artifact.TestListings.ALICE;
import static org.modelmarket.artifact.TestListings.OCTETS;
import static org.modelmarket.artifact.TestListings.PROBLEM;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.upload.service.UploadService;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Resumable multipart uploads: interrupted and resumed, parts out of order and repeated, per-part and whole-file
 * checksum mismatches (nothing visible), abort, expiry and cleanup, and who may call what.
 */
@QuarkusTest
class UploadsTest {

    private static final int PART = 100_000;

    @Inject
    UploadService uploads;

    @ConfigProperty(name = "modelmarket.artifact.upload.staging-dir")
    Path staging;

    @ConfigProperty(name = "modelmarket.artifact.blob.filesystem.root")
    Path blobRoot;

    @Test
    void interruptedOutOfOrderAndRepeatedPartsStillGiveTheRightFile() {
        Ref ref = TestListings.create("up");
        byte[] file = random(3 * PART + 1234);
        String id = initiate(ref, "big/model.safetensors", file.length, TestListings.sha256(file));

        // Part 3 first, then part 1; then the client "crashes" and resumes by asking what arrived.
        put(ref, id, 3, part(file, 3)).then().statusCode(200).body("size", equalTo(PART));
        put(ref, id, 1, part(file, 1)).then().statusCode(200);
        given().header("Authorization", ALICE)
                .get(ref.base() + "/uploads/" + id)
                .then()
                .statusCode(200)
                .body("parts.number", contains(1, 3))
                .body("receivedBytes", equalTo(2 * PART))
                .body("status", equalTo("open"));
        // Completing too early says which parts are missing, and nothing is visible.
        complete(ref, id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.containsString("missing parts [2]"));
        given().get(ref.file("big/model.safetensors")).then().statusCode(404);

        // A corrupted retry of part 1 is refused and the good copy stays; then parts 2 and 4, part 2 twice.
        byte[] corrupt = part(file, 1).clone();
        corrupt[0] ^= 1;
        given().header("Authorization", ALICE)
                .header("X-Checksum-Sha256", TestListings.sha256(part(file, 1)))
                .contentType(OCTETS)
                .body(corrupt)
                .put(ref.base() + "/uploads/" + id + "/parts/1")
                .then()
                .statusCode(422)
                .body("type", equalTo("https://modelmarket.org/problems/checksum-mismatch"));
        put(ref, id, 2, part(file, 2)).then().statusCode(200);
        put(ref, id, 2, part(file, 2)).then().statusCode(200);
        put(ref, id, 4, part(file, 4)).then().statusCode(200).body("size", equalTo(1234));

        String commit = complete(ref, id)
                .then()
                .statusCode(201)
                .body("upload.status", equalTo("completed"))
                .body("commit.changedPaths", contains("big/model.safetensors"))
                .extract()
                .path("commit.id");
        Response download = given().get(ref.file("big/model.safetensors"));
        assertThat(download.header("X-Repo-Commit")).isEqualTo(commit);
        assertThat(download.asByteArray()).isEqualTo(file);
        assertThat(staging.resolve(id)).doesNotExist();
        // Completed: no more parts, no second completion.
        put(ref, id, 1, part(file, 1)).then().statusCode(404);
        complete(ref, id).then().statusCode(404);
    }

    @Test
    void wholeFileMismatchIs422AndNothingIsVisible() {
        Ref ref = TestListings.create("up-bad");
        byte[] file = random(PART + 10);
        String id = initiate(ref, "w.bin", file.length, "c".repeat(64));
        put(ref, id, 1, part(file, 1)).then().statusCode(200);
        put(ref, id, 2, part(file, 2)).then().statusCode(200);

        complete(ref, id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/checksum-mismatch"));
        given().get(ref.file("w.bin")).then().statusCode(404);
        given().get(ref.base() + "/commits").then().body("commits", org.hamcrest.Matchers.empty());
        // The upload stays open (resend parts and complete again), and can be aborted.
        given().header("Authorization", ALICE)
                .get(ref.base() + "/uploads/" + id)
                .then()
                .body("status", equalTo("open"));
        given().header("Authorization", ALICE)
                .delete(ref.base() + "/uploads/" + id)
                .then()
                .statusCode(204);
        assertThat(staging.resolve(id)).doesNotExist();
        put(ref, id, 1, part(file, 1)).then().statusCode(404);
    }

    @Test
    void aPartReplacedAfterLaterPartsArrivedCountsWithItsNewContent() {
        // Parts in order let the service carry the whole file's digest along; replacing part 2 by other bytes of the
        // same size (correct per-part checksum) must make completion hash the real staged bytes, not the old digest.
        Ref ref = TestListings.create("up-replace");
        byte[] first = random(3 * PART);
        byte[] second = first.clone();
        Arrays.fill(second, PART, 2 * PART, (byte) 7);
        String id = initiate(ref, "r.bin", second.length, TestListings.sha256(second));
        for (int n = 1; n <= 3; n++) {
            put(ref, id, n, part(first, n)).then().statusCode(200);
        }
        put(ref, id, 2, part(second, 2)).then().statusCode(200);

        complete(ref, id).then().statusCode(201).body("upload.sha256", equalTo(TestListings.sha256(second)));
        assertThat(given().get(ref.file("r.bin")).asByteArray()).isEqualTo(second);
    }

    @Test
    void partsSentWithACrc32cAreCheckedAndTheWholeFilesSha256StillDecides() {
        Ref ref = TestListings.create("up-crc");
        byte[] file = unique(3 * PART + 5);
        String id = initiate(ref, "crc/model.bin", file.length, TestListings.sha256(file));

        // Part 1 in order and part 3 out of order with a CRC32C only, part 2 with both checksums.
        putCrc(ref, id, 1, part(file, 1))
                .then()
                .statusCode(200)
                .body("crc32c", equalTo(TestListings.crc32c(part(file, 1))))
                .body("sha256", org.hamcrest.Matchers.nullValue());
        putCrc(ref, id, 3, part(file, 3)).then().statusCode(200);
        byte[] corrupt = part(file, 2).clone();
        corrupt[PART - 1] ^= 1;
        given().header("Authorization", ALICE)
                .header("X-Checksum-Crc32c", TestListings.crc32c(part(file, 2)))
                .contentType(OCTETS)
                .body(corrupt)
                .put(ref.base() + "/uploads/" + id + "/parts/2")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/checksum-mismatch"))
                .body("detail", org.hamcrest.Matchers.containsString("CRC32C"));
        // Both checksums: both must hold (the right CRC32C with a wrong SHA-256 is refused).
        given().header("Authorization", ALICE)
                .header("X-Checksum-Crc32c", TestListings.crc32c(part(file, 2)))
                .header("X-Checksum-Sha256", "0".repeat(64))
                .contentType(OCTETS)
                .body(part(file, 2))
                .put(ref.base() + "/uploads/" + id + "/parts/2")
                .then()
                .statusCode(422);
        given().header("Authorization", ALICE)
                .header("X-Checksum-Crc32c", TestListings.crc32c(part(file, 2)))
                .header("X-Checksum-Sha256", TestListings.sha256(part(file, 2)))
                .contentType(OCTETS)
                .body(part(file, 2))
                .put(ref.base() + "/uploads/" + id + "/parts/2")
                .then()
                .statusCode(200)
                .body("sha256", equalTo(TestListings.sha256(part(file, 2))));
        // A resend of part 1 with the same CRC32C replaces the staged copy (equal CRC32Cs do not prove equal bytes).
        putCrc(ref, id, 1, part(file, 1)).then().statusCode(200);
        putCrc(ref, id, 4, part(file, 4)).then().statusCode(200);
        given().header("Authorization", ALICE)
                .get(ref.base() + "/uploads/" + id)
                .then()
                .statusCode(200)
                .body("parts.number", contains(1, 2, 3, 4))
                .body(
                        "parts.crc32c",
                        contains(
                                TestListings.crc32c(part(file, 1)),
                                TestListings.crc32c(part(file, 2)),
                                TestListings.crc32c(part(file, 3)),
                                TestListings.crc32c(part(file, 4))))
                .body("parts[0].sha256", org.hamcrest.Matchers.nullValue())
                .body("parts[1].sha256", equalTo(TestListings.sha256(part(file, 2))));
        // A malformed CRC32C is a 400 naming the header.
        given().header("Authorization", ALICE)
                .header("X-Checksum-Crc32c", "not-base64!")
                .contentType(OCTETS)
                .body(part(file, 1))
                .put(ref.base() + "/uploads/" + id + "/parts/1")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", contains("crc32c"));

        complete(ref, id).then().statusCode(201).body("upload.sha256", equalTo(TestListings.sha256(file)));
        assertThat(given().get(ref.file("crc/model.bin")).asByteArray()).isEqualTo(file);
    }

    @Test
    void crc32cPartsOfAFileWithAnotherSha256StoreNothing() {
        Ref ref = TestListings.create("up-crc-bad");
        byte[] file = unique(2 * PART);
        byte[] declared = file.clone();
        declared[0] ^= 1;
        String id = initiate(ref, "c.bin", file.length, TestListings.sha256(declared));
        putCrc(ref, id, 1, part(file, 1)).then().statusCode(200);
        putCrc(ref, id, 2, part(file, 2)).then().statusCode(200);

        complete(ref, id)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/checksum-mismatch"));
        given().get(ref.file("c.bin")).then().statusCode(404);
        assertThat(Files.exists(blobPath(TestListings.sha256(file)))).isFalse();
        assertThat(Files.exists(blobPath(TestListings.sha256(declared)))).isFalse();
    }

    @Test
    void partsInOrderAreStagedInOneFileThatBecomesTheBlobWithoutACopy() throws Exception {
        Ref ref = TestListings.create("up-inorder");
        byte[] file = unique(3 * PART + 17); // not stored by an earlier run: the store must link it, not find it
        String sha = TestListings.sha256(file);
        String id = initiate(ref, "in/order.bin", file.length, sha);
        for (int n = 1; n <= 4; n++) {
            put(ref, id, n, part(file, n)).then().statusCode(200);
        }
        // One staging file holding the parts back to back, no file per part.
        Path whole = staging.resolve(id).resolve("whole");
        try (Stream<Path> staged = Files.list(staging.resolve(id))) {
            assertThat(staged.map(p -> p.getFileName().toString())).containsExactly("whole");
        }
        assertThat(Files.readAllBytes(whole)).isEqualTo(file);
        Object inode = Files.getAttribute(whole, "unix:ino");

        complete(ref, id).then().statusCode(201).body("upload.sha256", equalTo(sha));

        // The blob is that very file (linked into place, not copied), and the staging is gone.
        Path blob =
                blobRoot.resolve("blobs/sha256").resolve(sha.substring(0, 2)).resolve(sha.substring(2));
        assertThat(Files.getAttribute(blob, "unix:ino")).isEqualTo(inode);
        assertThat(Files.readAllBytes(blob)).isEqualTo(file);
        assertThat(staging.resolve(id)).doesNotExist();
        assertThat(given().get(ref.file("in/order.bin")).asByteArray()).isEqualTo(file);
    }

    @Test
    void aCompletionThatFailsAfterStoringNeverLetsTheStoredBlobChange() throws Exception {
        // "x" is a folder already, so the commit at path "x" fails (409) after the blob store linked the staging file.
        Ref ref = TestListings.create("up-relink");
        TestListings.uploaded(ref, "x/readme.txt", "folder");
        byte[] file = unique(2 * PART + 5);
        String sha = TestListings.sha256(file);
        String id = initiate(ref, "x", file.length, sha);
        for (int n = 1; n <= 3; n++) {
            put(ref, id, n, part(file, n)).then().statusCode(200);
        }
        complete(ref, id)
                .then()
                .statusCode(409)
                .body("type", equalTo("https://modelmarket.org/problems/path-conflict"));
        Path blob =
                blobRoot.resolve("blobs/sha256").resolve(sha.substring(0, 2)).resolve(sha.substring(2));
        assertThat(Files.readAllBytes(blob)).isEqualTo(file);

        // Other bytes for part 2 (a valid part, the wrong file): the staging file gives up parts 2 and 3 without
        // writing to the stored blob; completing now fails on the whole digest, and the blob is untouched.
        byte[] otherTwo = part(file, 2).clone();
        otherTwo[0] ^= 1;
        put(ref, id, 2, otherTwo).then().statusCode(200);
        complete(ref, id)
                .then()
                .statusCode(422)
                .body("type", equalTo("https://modelmarket.org/problems/checksum-mismatch"));
        assertThat(Files.readAllBytes(blob)).isEqualTo(file);
        // A part sent in order again after the failed completion goes to a file of its own, never into the blob.
        put(ref, id, 2, part(file, 2)).then().statusCode(200);
        assertThat(Files.readAllBytes(blob)).isEqualTo(file);

        given().header("Authorization", ALICE).delete(ref.file("x")).then().statusCode(200);
        complete(ref, id).then().statusCode(201).body("upload.sha256", equalTo(sha));
        assertThat(given().get(ref.file("x")).asByteArray()).isEqualTo(file);
        assertThat(Files.readAllBytes(blob)).isEqualTo(file);
    }

    @Test
    void partsInOrderWithAWrongDeclaredDigestStoreNothing() {
        Ref ref = TestListings.create("up-order-bad");
        byte[] file = random(2 * PART + 3);
        String actual = TestListings.sha256(file);
        String id = initiate(ref, "o.bin", file.length, "d".repeat(64));
        for (int n = 1; n <= 3; n++) {
            put(ref, id, n, part(file, n)).then().statusCode(200);
        }

        complete(ref, id)
                .then()
                .statusCode(422)
                .body("type", equalTo("https://modelmarket.org/problems/checksum-mismatch"))
                .body("detail", org.hamcrest.Matchers.containsString(actual));
        // Refused before the store was touched: no blob under either digest.
        for (String sha : new String[] {actual, "d".repeat(64)}) {
            assertThat(blobRoot.resolve("blobs/sha256")
                            .resolve(sha.substring(0, 2))
                            .resolve(sha.substring(2)))
                    .doesNotExist();
        }
        given().get(ref.file("o.bin")).then().statusCode(404);
    }

    @Test
    void completeWithoutCommitThenCommitByDigest() {
        Ref ref = TestListings.create("up-stage");
        byte[] file = random(5000);
        String sha = TestListings.sha256(file);
        String id = initiate(ref, "staged.bin", file.length, sha);
        put(ref, id, 1, file).then().statusCode(200);
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("commit", false))
                .post(ref.base() + "/uploads/" + id + "/complete")
                .then()
                .statusCode(201)
                .body("commit", org.hamcrest.Matchers.nullValue());
        given().get(ref.file("staged.bin")).then().statusCode(404);

        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of(
                        "message",
                        "Two names for one upload",
                        "operations",
                        java.util.List.of(
                                Map.of("op", "add", "path", "a/staged.bin", "sha256", sha),
                                Map.of("op", "add", "path", "b/staged.bin", "sha256", sha))))
                .post(ref.base() + "/commits")
                .then()
                .statusCode(201)
                .body("fileCount", equalTo(2));
        assertThat(given().get(ref.file("b/staged.bin")).asByteArray()).isEqualTo(file);
    }

    @Test
    void expiredUploadsAreCleanedUp() {
        Ref ref = TestListings.create("up-exp");
        byte[] file = random(1000);
        String id = initiate(ref, "e.bin", file.length, TestListings.sha256(file));
        put(ref, id, 1, file).then().statusCode(200);
        assertThat(Files.exists(staging.resolve(id))).isTrue();

        int cleaned = uploads.cleanExpired(Instant.now().plus(java.time.Duration.ofDays(2)));

        assertThat(cleaned).isGreaterThanOrEqualTo(1);
        assertThat(staging.resolve(id)).doesNotExist();
        given().header("Authorization", ALICE)
                .get(ref.base() + "/uploads/" + id)
                .then()
                .statusCode(404);
    }

    @Test
    void badInputAndCallersWhoMayNot() {
        Ref ref = TestListings.create("up-auth");
        String sha = "a".repeat(64);
        // Validation.
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("path", "../x", "size", 1, "sha256", sha))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("path"));
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("path", "x", "size", -1, "sha256", "XYZ"))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("size", "sha256"));
        // Quota (64 MiB in tests): 413 with a problem.
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("path", "huge.bin", "size", 100L * 1024 * 1024, "sha256", sha))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/storage-quota-exceeded"));
        String id = initiate(ref, "x.bin", 3, sha);
        given().header("Authorization", ALICE)
                .contentType(OCTETS)
                .body(new byte[] {1})
                .put(ref.base() + "/uploads/" + id + "/parts/0")
                .then()
                .statusCode(400);
        given().header("Authorization", ALICE)
                .contentType(OCTETS)
                .body(new byte[] {1})
                .put(ref.base() + "/uploads/" + id + "/parts/1")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("sha256"));
        // A part larger than the declared file.
        given().header("Authorization", ALICE)
                .header("X-Checksum-Sha256", TestListings.sha256(new byte[4]))
                .contentType(OCTETS)
                .body(new byte[4])
                .put(ref.base() + "/uploads/" + id + "/parts/1")
                .then()
                .statusCode(413);
        // Who may not: anonymous 401, buyer 403, another vendor 403, an unknown upload 404.
        given().contentType("application/json")
                .body(Map.of("path", "x", "size", 1, "sha256", sha))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(401);
        for (String token : new String[] {TestTokens.bearer("bob", "buyer"), TestTokens.bearer("carol", "vendor")}) {
            given().header("Authorization", token)
                    .get(ref.base() + "/uploads/" + id)
                    .then()
                    .statusCode(403);
            given().header("Authorization", token)
                    .delete(ref.base() + "/uploads/" + id)
                    .then()
                    .statusCode(403);
            given().header("Authorization", token)
                    .header("X-Checksum-Sha256", TestListings.sha256(new byte[1]))
                    .contentType(OCTETS)
                    .body(new byte[1])
                    .put(ref.base() + "/uploads/" + id + "/parts/1")
                    .then()
                    .statusCode(403);
        }
        given().header("Authorization", ALICE)
                .get(ref.base() + "/uploads/" + java.util.UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("type", equalTo("https://modelmarket.org/problems/upload-not-found"));
        // Another listing's upload id is not found through this listing.
        Ref other = TestListings.create("up-other");
        given().header("Authorization", ALICE)
                .get(other.base() + "/uploads/" + id)
                .then()
                .statusCode(404);
    }

    static String initiate(Ref ref, String path, long size, String sha256) {
        return given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("path", path, "size", size, "sha256", sha256))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(201)
                .body("status", equalTo("open"))
                .extract()
                .path("id");
    }

    static Response put(Ref ref, String id, int number, byte[] bytes) {
        return given().header("Authorization", ALICE)
                .header("X-Checksum-Sha256", TestListings.sha256(bytes))
                .contentType(OCTETS)
                .body(bytes)
                .put(ref.base() + "/uploads/" + id + "/parts/" + number);
    }

    static Response putCrc(Ref ref, String id, int number, byte[] bytes) {
        return given().header("Authorization", ALICE)
                .header("X-Checksum-Crc32c", TestListings.crc32c(bytes))
                .contentType(OCTETS)
                .body(bytes)
                .put(ref.base() + "/uploads/" + id + "/parts/" + number);
    }

    /** Base64 of the 4 big-endian bytes of the CRC32C, as S3 sends it. */
    private Path blobPath(String sha256) {
        return blobRoot.resolve("blobs/sha256").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    static Response complete(Ref ref, String id) {
        return given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{}")
                .post(ref.base() + "/uploads/" + id + "/complete");
    }

    static byte[] part(byte[] file, int number) {
        int from = (number - 1) * PART;
        return Arrays.copyOfRange(file, from, Math.min(file.length, from + PART));
    }

    /** Random bytes no earlier test run stored (the test blob store outlives runs). */
    static byte[] unique(int size) {
        byte[] bytes = random(size);
        byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, bytes, 0, id.length);
        return bytes;
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
