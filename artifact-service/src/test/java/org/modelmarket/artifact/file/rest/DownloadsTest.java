package org.modelmarket.artifact.file.rest;

import static io.restassured.RestAssured.given;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.modelmarket.artifact.TestListings.PROBLEM;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Downloads: every kind of single range (first byte, last byte, suffix, open end, {@code 0-0}, past the end → 416),
 * several ranges as {@code multipart/byteranges} (exact bodies), {@code If-Range} and {@code If-None-Match}, and the
 * signed-URL redirect the gateway asks for.
 */
@QuarkusTest
class DownloadsTest {

    private static final int SIZE = 10_000;
    private static Ref ref;
    private static byte[] bytes;
    private static String sha256;
    private static String commit;

    @BeforeEach
    void listing() {
        if (ref != null) {
            return;
        }
        bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        sha256 = TestListings.sha256(bytes);
        ref = TestListings.create("dl");
        commit = TestListings.upload(ref, "model.bin", bytes)
                .then()
                .statusCode(201)
                .extract()
                .path("commit");
    }

    @Test
    void wholeFileCarriesLengthStrongEtagAndRanges() {
        Response r = given().get(ref.file("model.bin"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.header("ETag")).isEqualTo('"' + sha256 + '"');
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("X-Repo-Commit")).isEqualTo(commit);
        assertThat(r.asByteArray()).isEqualTo(bytes);
    }

    @Test
    void everyKindOfRange() {
        assertRange("bytes=0-0", 0, 0);
        assertRange("bytes=0-99", 0, 99);
        assertRange("bytes=9999-9999", 9999, 9999); // last byte
        assertRange("bytes=-1", 9999, 9999); // suffix of one byte
        assertRange("bytes=-500", 9500, 9999);
        assertRange("bytes=-20000", 0, 9999); // suffix longer than the file: all of it
        assertRange("bytes=9000-", 9000, 9999); // open end
        assertRange("bytes=9000-20000", 9000, 9999); // end past the end is clamped

        for (String unsatisfiable : new String[] {"bytes=10000-", "bytes=20000-20001", "bytes=-0"}) {
            given().header("Range", unsatisfiable)
                    .get(ref.file("model.bin"))
                    .then()
                    .statusCode(416)
                    .contentType(PROBLEM)
                    .header("Content-Range", "bytes */" + SIZE)
                    .body("type", equalTo("https://modelmarket.org/problems/range-not-satisfiable"));
        }
        // A unit we do not know, or nonsense (in any element of a list): the whole file.
        for (String ignored : new String[] {"items=0-1", "bytes=5-2", "bytes=x-y", "bytes=0-1,5-2", "bytes=0-1,x"}) {
            Response r = given().header("Range", ignored).get(ref.file("model.bin"));
            assertThat(r.statusCode()).as(ignored).isEqualTo(200);
            assertThat(r.asByteArray()).hasSize(SIZE);
        }
    }

    @Test
    void severalRangesAnswerMultipartByteranges() {
        assertMultipart("bytes=0-9,20-29", new int[][] {{0, 9}, {20, 29}});
        // Suffix and open ranges, whitespace around the commas; parts come in the order asked, not sorted.
        assertMultipart("bytes=-5 , 100-109,\t50-59", new int[][] {{9995, 9999}, {100, 109}, {50, 59}});
        // An open range takes in the suffix that overlaps it.
        assertMultipart("bytes=9000-,-5,0-0", new int[][] {{9000, 9999}, {0, 0}});
        // The first and the last byte.
        assertMultipart("bytes=0-0,9999-9999", new int[][] {{0, 0}, {9999, 9999}});
        // Overlapping ranges are merged where the first of them stood; an unsatisfiable one is left out.
        assertMultipart("bytes=500-599,0-9,550-649,20000-20001,5-14", new int[][] {{500, 649}, {0, 14}});
        // What is left after merging and dropping may be one range: a plain 206, no multipart.
        assertRange("bytes=0-9,5-14", 0, 14);
        assertRange("bytes=0-9,20000-", 0, 9);
        assertRange("bytes=,0-9,", 0, 9);
        // No range satisfiable: 416.
        given().header("Range", "bytes=20000-,-0")
                .get(ref.file("model.bin"))
                .then()
                .statusCode(416)
                .contentType(PROBLEM)
                .header("Content-Range", "bytes */" + SIZE);
        // More ranges than the server takes: the header is ignored, the whole file is sent.
        String many = "bytes="
                + IntStream.range(0, 101).mapToObj(i -> i * 10 + "-" + i * 10).collect(joining(","));
        Response all = given().header("Range", many).get(ref.file("model.bin"));
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.asByteArray()).isEqualTo(bytes);
        // If-Range with another ETag: the whole file, not the parts.
        Response stale = given().header("Range", "bytes=0-9,20-29")
                .header("If-Range", "\"" + "0".repeat(64) + "\"")
                .get(ref.file("model.bin"));
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.asByteArray()).isEqualTo(bytes);
    }

    @Test
    void ifRangeKeepsTheRangeOnlyForTheCurrentEtag() {
        assertThat(given().header("Range", "bytes=0-9")
                        .header("If-Range", '"' + sha256 + '"')
                        .get(ref.file("model.bin"))
                        .statusCode())
                .isEqualTo(206);
        Response stale = given().header("Range", "bytes=0-9")
                .header("If-Range", "\"" + "0".repeat(64) + "\"")
                .get(ref.file("model.bin"));
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.asByteArray()).isEqualTo(bytes);
        // A date never matches (no Last-Modified is sent): the whole file.
        assertThat(given().header("Range", "bytes=0-9")
                        .header("If-Range", "Sun, 29 Nov 2026 10:00:00 GMT")
                        .get(ref.file("model.bin"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void ifNoneMatchAndHead() {
        given().header("If-None-Match", "W/\"" + sha256 + "\", \"other\"")
                .get(ref.file("model.bin"))
                .then()
                .statusCode(304)
                .header("ETag", '"' + sha256 + '"')
                .body(emptyString());
        given().header("If-None-Match", "\"other\"")
                .get(ref.file("model.bin"))
                .then()
                .statusCode(200);
        given().head(ref.file("model.bin"))
                .then()
                .statusCode(200)
                .header("Content-Length", String.valueOf(SIZE))
                .header("Accept-Ranges", "bytes")
                .header("X-Repo-Commit", commit);
    }

    @Test
    void signedRedirectAndSignedUrl() {
        Response redirect = given().redirects()
                .follow(false)
                .header("X-ModelMarket-Redirect", "signed")
                .get(ref.file("model.bin"));
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.header("X-Repo-Commit")).isEqualTo(commit);
        assertThat(redirect.header("X-Linked-Etag")).isEqualTo('"' + sha256 + '"');
        assertThat(redirect.header("X-Linked-Size")).isEqualTo(String.valueOf(SIZE));
        assertThat(redirect.header("ETag")).isEqualTo('"' + sha256 + '"');
        String location = redirect.header("Location");
        assertThat(location).startsWith("http://gateway.test/api/v1/signed/");
        String path = URI.create(location).getPath();

        // The signed URL needs no token and serves ranges like files/.
        Response whole = given().get(path);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.asByteArray()).isEqualTo(bytes);
        Response part = given().header("Range", "bytes=-10").get(path);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, SIZE - 10, SIZE));
        Response parts = given().header("Range", "bytes=0-1,-2").get(path);
        assertThat(parts.statusCode()).isEqualTo(206);
        int[][] asked = {{0, 1}, {SIZE - 2, SIZE - 1}};
        assertThat(parts.asByteArray()).isEqualTo(multipartBody(boundary(parts.header("Content-Type")), asked));
        given().head(path).then().statusCode(200).header("Content-Length", String.valueOf(SIZE));
        // Whatever credentials come along are ignored (a client sends its hf_ token or its bearer to an ingress that
        // routes /api/v1/signed/ straight here): the URL alone authorizes.
        Response withToken = given().header("Authorization", "Bearer hf_notAJwtButTheCallersApiToken0000000000")
                .get(path);
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.asByteArray()).isEqualTo(bytes);

        // A tampered token is refused.
        String token = path.substring(path.lastIndexOf('/') + 1);
        String tampered = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        given().get("/api/v1/signed/" + tampered)
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/invalid-signature"));
        given().get("/api/v1/signed/not-a-token").then().statusCode(403).contentType(PROBLEM);
    }

    @Test
    void aBrowserPageMayFollowTheRedirectToTheSignedUrl() {
        // QA with Chromium: a page of an allowed origin fetching .../files/config.json through the gateway got the
        // 307 (with CORS headers) and then "TypeError: Failed to fetch", because the signed URL answered no CORS
        // header. After a redirect to another origin the browser sends "Origin: null".
        String location = given().redirects()
                .follow(false)
                .header("X-ModelMarket-Redirect", "signed")
                .get(ref.file("model.bin"))
                .header("Location");
        String path = URI.create(location).getPath();

        Response preflight = given().header("Origin", "null")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range,if-none-match")
                .options(path);
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("GET", "HEAD");
        assertThat(preflight.header("Access-Control-Allow-Headers").toLowerCase())
                .contains("range", "if-none-match");
        // Nothing was read from the grant by the preflight: a bad token is answered the same way.
        given().header("Origin", "null")
                .header("Access-Control-Request-Method", "GET")
                .options("/api/v1/signed/not-a-token")
                .then()
                .statusCode(204);

        Response part =
                given().header("Origin", "null").header("Range", "bytes=0-9").get(path);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 0, 10));
        assertThat(part.header("Access-Control-Allow-Origin")).isEqualTo("*");
        // No credentials: the URL alone authorizes, so no cookie or token is ever needed.
        assertThat(part.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(part.header("Access-Control-Expose-Headers"))
                .contains("Content-Range", "ETag", "X-Repo-Commit", "X-Checksum-Sha256", "Accept-Ranges");
        // An error is readable too (the page shows why).
        given().header("Origin", "null")
                .get("/api/v1/signed/not-a-token")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", "*");
        // Other routes keep no CORS headers: the gateway is the public origin.
        assertThat(given().header("Origin", "null").get(ref.file("model.bin")).header("Access-Control-Allow-Origin"))
                .isNull();
    }

    @Test
    void redirectIsRefusedLikeTheDownloadItself() {
        given().redirects()
                .follow(false)
                .header("X-ModelMarket-Redirect", "signed")
                .get(ref.file("missing.bin"))
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        given().get(ref.file("model.bin") + "?revision=nope")
                .then()
                .statusCode(404)
                .body("type", startsWith("https://modelmarket.org/problems/revision-not-found"));
    }

    /** A 206 multipart/byteranges answer whose body is exactly the parts asked for (RFC 9110 14.6). */
    private static void assertMultipart(String range, int[][] parts) {
        Response r = given().header("Range", range).get(ref.file("model.bin"));
        assertThat(r.statusCode()).as(range).isEqualTo(206);
        assertThat(r.header("Content-Range")).as(range).isNull();
        assertThat(r.header("ETag")).isEqualTo('"' + sha256 + '"');
        assertThat(r.header("X-Repo-Commit")).isEqualTo(commit);
        String boundary = boundary(r.header("Content-Type"));
        byte[] expected = multipartBody(boundary, parts);
        assertThat(r.header("Content-Length")).as(range).isEqualTo(String.valueOf(expected.length));
        assertThat(r.asByteArray()).as(range).isEqualTo(expected);
    }

    private static String boundary(String contentType) {
        Matcher m = Pattern.compile("multipart/byteranges; ?boundary=([0-9A-Za-z'()+_,./:=?-]{1,70})")
                .matcher(contentType);
        assertThat(m.matches()).as(contentType).isTrue();
        return m.group(1);
    }

    /** The body a multipart/byteranges answer must have: each part's delimiter, headers, bytes; the close delimiter. */
    private static byte[] multipartBody(String boundary, int[][] parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            int first = parts[i][0];
            int last = parts[i][1];
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Range: bytes " + first + "-" + last + "/" + SIZE + "\r\n\r\n";
            body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            body.write(bytes, first, last - first + 1);
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static void assertRange(String range, int first, int last) {
        Response r = given().header("Range", range).get(ref.file("model.bin"));
        assertThat(r.statusCode()).as(range).isEqualTo(206);
        assertThat(r.header("Content-Range")).as(range).isEqualTo("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(r.header("Content-Length")).as(range).isEqualTo(String.valueOf(last - first + 1));
        assertThat(r.header("ETag")).isEqualTo('"' + sha256 + '"');
        assertThat(r.asByteArray()).as(range).isEqualTo(Arrays.copyOfRange(bytes, first, last + 1));
    }
}
