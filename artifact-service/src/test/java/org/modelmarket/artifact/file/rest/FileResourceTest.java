package org.modelmarket.artifact.file.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The files API against real PostgreSQL and Kafka: listings are created by publishing catalog events. */
@QuarkusTest
class FileResourceTest {

    private static final String NS = "files-acme";
    private static final String PUBLIC = "resnet";
    private static final String PRIVATE = "secret-model";
    private static final String OCTETS = "application/octet-stream";
    private static final String PROBLEM = "application/problem+json";

    private static final String ALICE = TestTokens.bearer("alice", "vendor");
    private static final String CAROL = TestTokens.bearer("carol", "vendor");
    private static final String BUYER = TestTokens.bearer("bob", "buyer");
    private static final String ADMIN = TestTokens.bearer("root", "admin");

    private static boolean published;

    /** Once per class; not {@code @BeforeAll}, which runs before RestAssured knows the test port. */
    @BeforeEach
    void publishListings() {
        if (published) {
            return;
        }
        published = true;
        publish(PUBLIC, "public");
        publish(PRIVATE, "private");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().when().get(files(PUBLIC)).then().statusCode(200);
            given().header("Authorization", ALICE)
                    .when()
                    .get(files(PRIVATE))
                    .then()
                    .statusCode(200);
        });
    }

    @Test
    void ownerUploadsAndAnyoneDownloads() {
        byte[] bytes = randomBytes(300_000);
        String sha256 = sha256(bytes);

        given().header("Authorization", ALICE)
                .contentType(OCTETS)
                .body(bytes)
                .when()
                .put(files(PUBLIC) + "/onnx/model.onnx")
                .then()
                .statusCode(201)
                .header("Location", endsWith("/api/v1/listings/files-acme/resnet/files/onnx/model.onnx"))
                .header("ETag", "\"" + sha256 + "\"")
                .body("path", equalTo("onnx/model.onnx"))
                .body("size", equalTo(bytes.length))
                .body("sha256", equalTo(sha256));

        Response download = given().when().get(files(PUBLIC) + "/onnx/model.onnx");

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo(OCTETS);
        assertThat(download.header("X-Checksum-Sha256")).isEqualTo(sha256);
        assertThat(download.header("ETag")).isEqualTo("\"" + sha256 + "\"");
        assertThat(download.header("Content-Length")).isEqualTo(String.valueOf(bytes.length));
        byte[] received = download.asByteArray();
        assertThat(sha256(received)).isEqualTo(sha256);
        assertThat(received).isEqualTo(bytes);

        given().when().get(files(PUBLIC)).then().statusCode(200).body("files.path", hasItem("onnx/model.onnx"));
    }

    @Test
    void ifNoneMatchGivesNotModified() {
        byte[] bytes = "{\"architectures\":[\"ResNet\"]}".getBytes(StandardCharsets.UTF_8);
        upload(ALICE, PUBLIC, "config.json", bytes).then().statusCode(201);

        given().header("If-None-Match", "\"" + sha256(bytes) + "\"")
                .when()
                .get(files(PUBLIC) + "/config.json")
                .then()
                .statusCode(304)
                .header("ETag", "\"" + sha256(bytes) + "\"")
                .body(emptyString());
        given().header("If-None-Match", "\"0000\"")
                .when()
                .get(files(PUBLIC) + "/config.json")
                .then()
                .statusCode(200);
    }

    @Test
    void reuploadReplacesTheFile() {
        upload(ALICE, PUBLIC, "replace/me.bin", new byte[] {1, 2, 3}).then().statusCode(201);
        byte[] second = {4, 5, 6, 7};

        upload(ALICE, PUBLIC, "replace/me.bin", second).then().statusCode(201).body("size", equalTo(4));

        given().when()
                .get(files(PUBLIC))
                .then()
                .statusCode(200)
                .body("files.findAll { it.path == 'replace/me.bin' }", hasSize(1))
                .body("files.find { it.path == 'replace/me.bin' }.sha256", equalTo(sha256(second)));
        assertThat(given().when().get(files(PUBLIC) + "/replace/me.bin").asByteArray())
                .isEqualTo(second);
    }

    @Test
    void adminMayUpload() {
        upload(ADMIN, PUBLIC, "admin/notes.txt", "fixed".getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201);
    }

    @Test
    void anonymousUploadIsUnauthorized() {
        given().contentType(OCTETS)
                .body(new byte[] {1})
                .when()
                .put(files(PUBLIC) + "/x.bin")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void expiredTokenIsUnauthorized() {
        given().header("Authorization", TestTokens.expiredBearer("alice", "vendor"))
                .contentType(OCTETS)
                .body(new byte[] {1})
                .when()
                .put(files(PUBLIC) + "/x.bin")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void buyerMayNotUpload() {
        upload(BUYER, PUBLIC, "x.bin", new byte[] {1})
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("status", equalTo(403));
    }

    @Test
    void vendorWhoIsNotAnOwnerMayNotUpload() {
        upload(CAROL, PUBLIC, "x.bin", new byte[] {1})
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/not-listing-owner"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/..%2Fsecret", "%2Fetc%2Fpasswd", "a%2F%2Fb", "a/.%2Fb", "back%5Cslash"})
    void unsafePathsAreRefused(String encodedPath) {
        given().urlEncodingEnabled(false)
                .header("Authorization", ALICE)
                .contentType(OCTETS)
                .body(new byte[] {1})
                .when()
                .put(files(PUBLIC) + "/" + encodedPath)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", contains("path"));
    }

    @Test
    void overlongPathIsRefused() {
        upload(ALICE, PUBLIC, "a".repeat(1025), new byte[] {1})
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].field", equalTo("path"))
                .body("errors[0].message", containsString("1024"));
    }

    @Test
    void invalidNamespaceIsRefused() {
        given().header("Authorization", ALICE)
                .contentType(OCTETS)
                .body(new byte[] {1})
                .when()
                .put("/api/v1/listings/Bad_NS!/resnet/files/x.bin")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", contains("namespace"));
        given().when()
                .get("/api/v1/listings/files-acme/-bad-/files")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void tooLargeUploadIsRefused() {
        // %test caps uploads at 1 MiB.
        upload(ALICE, PUBLIC, "big.bin", new byte[1024 * 1024 + 1])
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("status", equalTo(413));
        given().when().get(files(PUBLIC) + "/big.bin").then().statusCode(404);
    }

    @Test
    void unknownListingIsNotFound() {
        upload(ALICE, "no-such-model", "x.bin", new byte[] {1})
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"))
                .body("instance", equalTo("/api/v1/listings/files-acme/no-such-model/files/x.bin"));
        given().when().get(files("no-such-model")).then().statusCode(404).contentType(PROBLEM);
        given().when()
                .get(files("no-such-model") + "/x.bin")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void unknownFileIsNotFound() {
        given().when()
                .get(files(PUBLIC) + "/does/not/exist.bin")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/file-not-found"));
    }

    @Test
    void privateListingIsHiddenFromNonOwners() {
        upload(ALICE, PRIVATE, "weights.bin", new byte[] {9, 9}).then().statusCode(201);

        given().header("Authorization", ALICE)
                .when()
                .get(files(PRIVATE) + "/weights.bin")
                .then()
                .statusCode(200);
        given().header("Authorization", ADMIN).when().get(files(PRIVATE)).then().statusCode(200);
        given().when()
                .get(files(PRIVATE) + "/weights.bin")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        given().header("Authorization", CAROL).when().get(files(PRIVATE)).then().statusCode(404);
        upload(CAROL, PRIVATE, "weights.bin", new byte[] {1}).then().statusCode(404);
    }

    @Test
    void badTokenOnAnonymousEndpointIsUnauthorized() {
        given().header("Authorization", "Bearer not-a-jwt")
                .when()
                .get(files(PUBLIC))
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void listingIsJson() {
        given().when().get(files(PUBLIC)).then().statusCode(200).contentType(ContentType.JSON);
    }

    private static Response upload(String token, String listing, String path, byte[] bytes) {
        return given().header("Authorization", token)
                .contentType(OCTETS)
                .body(bytes)
                .when()
                .put(files(listing) + "/" + path);
    }

    private static String files(String listing) {
        return "/api/v1/listings/" + NS + "/" + listing + "/files";
    }

    private static void publish(String name, String visibility) {
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, NS, name, 1, visibility, List.of("alice")));
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
