package org.modelmarket.artifact.file.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.modelmarket.artifact.TestListings.ALICE;
import static org.modelmarket.artifact.TestListings.OCTETS;
import static org.modelmarket.artifact.TestListings.PROBLEM;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.file.service.SignedUrls;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Signed upload URLs ({@code POST .../upload-urls}, then {@code PUT /api/v1/signed/{token}} without a token): a single
 * upload and the parts of a multipart upload land as the unsigned requests do; every rule of the unsigned request
 * still applies; tampered, expired, wrong-method, wrong-target and foreign tokens are refused with nothing stored;
 * and only owners get URLs.
 */
@QuarkusTest
class SignedUploadsTest {

    private static final String TYPE = "https://modelmarket.org/problems/";

    @Inject
    SignedUrls signed;

    @Test
    void aSingleUploadThroughItsSignedUrlLandsWithItsCommit() {
        Ref ref = TestListings.create("su-file");
        byte[] bytes = random(300_000);
        Response issued = mint(ALICE, ref, Map.of("path", "weights/model.bin", "size", bytes.length));
        issued.then()
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .body("method", equalTo("PUT"))
                .body("url", startsWith("http://gateway.test/api/v1/signed/"));
        String url = issued.path("url");
        assertThat(issued.header("Location")).isEqualTo(url);
        Instant expires = Instant.parse(issued.path("expiresAt"));
        assertThat(expires)
                .isBetween(
                        Instant.now(), Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(5));

        // No token: the URL authorizes itself; the answer is the unsigned upload's.
        Response put = given().contentType(OCTETS)
                .header("X-Commit-Message", "Weights by a signed URL")
                .body(bytes)
                .put(path(url));
        put.then()
                .statusCode(201)
                .header("ETag", '"' + TestListings.sha256(bytes) + '"')
                .body("path", equalTo("weights/model.bin"))
                .body("size", equalTo(bytes.length))
                .body("sha256", equalTo(TestListings.sha256(bytes)));
        String commit = put.path("commit");
        assertThat(put.header("X-Repo-Commit")).isEqualTo(commit);
        assertThat(put.header("Location")).endsWith(ref.file("weights/model.bin"));

        Response download = given().get(ref.file("weights/model.bin"));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.asByteArray()).isEqualTo(bytes);
        assertThat(download.header("X-Repo-Commit")).isEqualTo(commit);
        given().get(ref.base() + "/commits/" + commit)
                .then()
                .statusCode(200)
                .body("message", equalTo("Weights by a signed URL"))
                .body("author", equalTo(TestListings.OWNER));
    }

    @Test
    void thePartsOfAMultipartUploadGoThroughSignedUrls() {
        Ref ref = TestListings.create("su-parts");
        byte[] file = random(250_000);
        byte[] one = Arrays.copyOfRange(file, 0, 200_000);
        byte[] two = Arrays.copyOfRange(file, 200_000, file.length);
        String id = initiate(ref, "big.safetensors", file);

        // Out of order, each by its own URL; a URL for part 2 cannot send part 1's bytes as part 2's checksum says.
        String url2 = mint(ALICE, ref, Map.of("upload", id, "part", 2))
                .then()
                .statusCode(201)
                .extract()
                .path("url");
        String url1 = mint(ALICE, ref, Map.of("upload", id, "part", 1))
                .then()
                .statusCode(201)
                .extract()
                .path("url");
        given().contentType(OCTETS)
                .header("X-Checksum-Sha256", TestListings.sha256(two))
                .body(one)
                .put(path(url2))
                .then()
                .statusCode(422)
                .body("type", equalTo(TYPE + "checksum-mismatch"));
        given().contentType(OCTETS)
                .body(two)
                .put(path(url2))
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("sha256")); // as on the unsigned part endpoint
        given().contentType(OCTETS)
                .header("X-Checksum-Sha256", TestListings.sha256(two))
                .body(two)
                .put(path(url2))
                .then()
                .statusCode(200)
                .body("number", equalTo(2))
                .body("size", equalTo(two.length));
        // A part may carry its CRC32C instead, as on the unsigned endpoint; the whole file's sha256 still decides.
        given().contentType(OCTETS)
                .header("X-Checksum-Crc32c", TestListings.crc32c(one))
                .body(one)
                .put(path(url1))
                .then()
                .statusCode(200)
                .body("number", equalTo(1))
                .body("crc32c", equalTo(TestListings.crc32c(one)));
        given().header("Authorization", ALICE)
                .get(ref.base() + "/uploads/" + id)
                .then()
                .body("parts.number", org.hamcrest.Matchers.contains(1, 2))
                .body("receivedBytes", equalTo(file.length));
        String commit = given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{}")
                .post(ref.base() + "/uploads/" + id + "/complete")
                .then()
                .statusCode(201)
                .extract()
                .path("commit.id");
        Response download = given().get(ref.file("big.safetensors"));
        assertThat(download.asByteArray()).isEqualTo(file);
        assertThat(download.header("X-Repo-Commit")).isEqualTo(commit);
        // The upload is completed: its part URLs no longer write anything.
        given().contentType(OCTETS)
                .header("X-Checksum-Sha256", TestListings.sha256(one))
                .body(one)
                .put(path(url1))
                .then()
                .statusCode(404)
                .body("type", equalTo(TYPE + "upload-not-found"));
        mint(ALICE, ref, Map.of("upload", id, "part", 3)).then().statusCode(404);
    }

    @Test
    void tamperedExpiredWrongMethodAndWrongTargetUrlsAreRefusedAndNothingIsStored() {
        Ref ref = TestListings.create("su-bad");
        byte[] bytes = random(10_000);
        String url = mint(ALICE, ref, Map.of("path", "model.bin"))
                .then()
                .statusCode(201)
                .extract()
                .path("url");
        String token = path(url).substring("/api/v1/signed/".length());

        // Tampered: the signature of another payload; a payload changed to name another path (or listing).
        String payload = new String(
                Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        String mac = token.substring(token.indexOf('.') + 1);
        String otherPath = b64(payload.replace("files/model.bin", "files/other.bin")) + "." + mac;
        Ref victim = TestListings.create("su-victim");
        String otherListing = b64(payload.replace(ref.namespace(), victim.namespace())) + "." + mac;
        String flipped = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        String expired = signed.signUpload(
                ref.namespace(),
                ref.name(),
                new SignedUrls.UploadTarget.File("model.bin"),
                TestListings.OWNER,
                Set.of("vendor"),
                Instant.now().minusSeconds(1));
        for (String bad : new String[] {otherPath, otherListing, flipped, expired, "not-a-token", "a.b"}) {
            given().contentType(OCTETS)
                    .body(bytes)
                    .put("/api/v1/signed/" + bad)
                    .then()
                    .statusCode(403)
                    .contentType(PROBLEM)
                    .body("type", equalTo(TYPE + "invalid-signature"));
        }

        // Wrong method: an upload URL does not download, a download URL does not upload.
        given().get(path(url)).then().statusCode(403).body("type", equalTo(TYPE + "invalid-signature"));
        TestListings.upload(ref, "open.json", "{}".getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201);
        String download = given().redirects()
                .follow(false)
                .header("X-ModelMarket-Redirect", "signed")
                .get(ref.file("open.json"))
                .then()
                .statusCode(307)
                .extract()
                .header("Location");
        given().contentType(OCTETS)
                .body(bytes)
                .put(path(download))
                .then()
                .statusCode(403)
                .body("type", equalTo(TYPE + "invalid-signature"));
        given().contentType(OCTETS).body(bytes).post(path(url)).then().statusCode(405);

        // Nothing but open.json was written, to either listing.
        given().get(ref.base() + "/files")
                .then()
                .statusCode(200)
                .body("files.path", org.hamcrest.Matchers.contains("open.json"));
        given().get(victim.base() + "/commits").then().body("commits", org.hamcrest.Matchers.empty());
        // The untouched URL still works.
        given().contentType(OCTETS).body(bytes).put(path(url)).then().statusCode(201);
    }

    @Test
    void theUnsignedRulesStillApplyOnTheSignedPath() {
        Ref ref = TestListings.create("su-rules");
        // Larger than upload.max-size (1 MiB in tests), whatever size was declared: 413, nothing stored.
        String url = mint(ALICE, ref, Map.of("path", "big.bin"))
                .then()
                .statusCode(201)
                .extract()
                .path("url");
        given().contentType(OCTETS)
                .body(new byte[1024 * 1024 + 1])
                .put(path(url))
                .then()
                .statusCode(413)
                .body("type", equalTo(TYPE + "file-too-large"));
        // A URL made for a vendor who is not (or no longer) an owner, or for a caller without a write role, writes
        // nothing: ownership and role are checked again when the bytes arrive.
        for (var roles : new Object[][] {{"carol", Set.of("vendor")}, {TestListings.OWNER, Set.<String>of()}}) {
            @SuppressWarnings("unchecked")
            String foreign = signed.signUpload(
                    ref.namespace(),
                    ref.name(),
                    new SignedUrls.UploadTarget.File("big.bin"),
                    (String) roles[0],
                    (Set<String>) roles[1],
                    Instant.now().plusSeconds(60));
            given().contentType(OCTETS)
                    .body(new byte[10])
                    .put("/api/v1/signed/" + foreign)
                    .then()
                    .statusCode(403)
                    .contentType(PROBLEM);
        }
        given().get(ref.base() + "/commits").then().body("commits", org.hamcrest.Matchers.empty());

        // Up front, when the URL is asked for: the size limit (and the quota, checked with it), the path rules.
        mint(ALICE, ref, Map.of("path", "big.bin", "size", 2 * 1024 * 1024))
                .then()
                .statusCode(413)
                .body("type", equalTo(TYPE + "file-too-large"));
        for (Map<String, Object> body : java.util.List.<Map<String, Object>>of(
                Map.of("path", "../x"),
                Map.of("path", "a\\b"),
                Map.of("path", "x", "size", -1),
                Map.of("path", "x", "upload", UUID.randomUUID().toString(), "part", 1),
                Map.of("upload", UUID.randomUUID().toString()),
                Map.of("upload", UUID.randomUUID().toString(), "part", 0),
                Map.of("upload", UUID.randomUUID().toString(), "part", 10001),
                Map.of("part", 1),
                Map.of())) {
            mint(ALICE, ref, body)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("type", equalTo(TYPE + "validation"));
        }
        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body("{")
                .post(ref.base() + "/upload-urls")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().get(ref.base() + "/commits").then().body("commits", org.hamcrest.Matchers.empty());
    }

    @Test
    void onlyOwnersAndAdminsGetUploadUrls() {
        Ref ref = TestListings.create("su-who");
        Ref hidden = TestListings.create("su-who-private", "private", "free", null);
        Map<String, Object> file = Map.of("path", "model.bin");
        given().contentType("application/json")
                .body(file)
                .post(ref.base() + "/upload-urls")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        mint(TestTokens.bearer("bob", "buyer"), ref, file)
                .then()
                .statusCode(403)
                .body("type", equalTo(TYPE + "forbidden"));
        mint(TestTokens.bearer("carol", "vendor"), ref, file)
                .then()
                .statusCode(403)
                .body("type", equalTo(TYPE + "not-listing-owner"));
        mint(TestTokens.bearer("carol", "vendor"), hidden, file).then().statusCode(404);
        mint(
                        ALICE,
                        new Ref(
                                UUID.randomUUID(),
                                "nobody-" + UUID.randomUUID().toString().substring(0, 8),
                                "x"),
                        file)
                .then()
                .statusCode(404)
                .body("type", equalTo(TYPE + "listing-not-found"));
        mint(ALICE, ref, Map.of("upload", UUID.randomUUID().toString(), "part", 1))
                .then()
                .statusCode(404)
                .body("type", equalTo(TYPE + "upload-not-found"));
        // Another vendor cannot get a part URL for the owner's upload either.
        String id = initiate(ref, "p.bin", random(10));
        mint(TestTokens.bearer("carol", "vendor"), ref, Map.of("upload", id, "part", 1))
                .then()
                .statusCode(403);
        // An admin may, and the upload is then the admin's.
        String url = mint(TestTokens.bearer("root", "admin"), ref, file)
                .then()
                .statusCode(201)
                .extract()
                .path("url");
        String commit = given().contentType(OCTETS)
                .body(random(5))
                .put(path(url))
                .then()
                .statusCode(201)
                .extract()
                .path("commit");
        given().get(ref.base() + "/commits/" + commit).then().body("author", equalTo("root"));
    }

    private static Response mint(String token, Ref ref, Map<String, Object> body) {
        return given().header("Authorization", token)
                .contentType("application/json")
                .body(body)
                .post(ref.base() + "/upload-urls");
    }

    private static String initiate(Ref ref, String path, byte[] file) {
        return given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(Map.of("path", path, "size", file.length, "sha256", TestListings.sha256(file)))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String path(String url) {
        return URI.create(url).getRawPath();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }
}
