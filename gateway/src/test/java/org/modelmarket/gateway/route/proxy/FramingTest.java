package org.modelmarket.gateway.route.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The gateway's answers as bytes on the wire, read from a raw socket: every kind of route (JSON pass-through with a
 * length or chunked, a streamed file, errors of the gateway and of the service, HEAD, 304) has exactly one framing
 * ({@code Content-Length} or chunked, never both), no hop-by-hop header of the service, and HEAD and 304 carry no
 * body. Each check sends a second request on the same connection: a body where none belongs, or a wrong length,
 * would garble the second answer.
 */
@QuarkusTest
class FramingTest {

    private static final String LISTING = "/api/v1/listings/acme/whisper-small";
    private static final List<String> HOP_BY_HOP =
            List.of("keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade");

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void jsonWithLengthHasOnlyContentLength() throws IOException {
        stub.answer(
                "catalog",
                (request, response) -> hopByHop(response)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"namespace\":\"acme\",\"name\":\"whisper-small\"}"));

        List<Raw> answers = exchange(get(LISTING), get(LISTING));

        for (Raw raw : answers) {
            raw.assertSingleFraming();
            assertThat(raw.status).isEqualTo(200);
            assertThat(raw.header("content-length")).isEqualTo("43");
            assertThat(raw.header("transfer-encoding")).isNull();
            assertThat(raw.bodyText()).isEqualTo("{\"namespace\":\"acme\",\"name\":\"whisper-small\"}");
            raw.assertNoHopByHop();
        }
    }

    @Test
    void chunkedJsonStaysChunkedWithoutLength() throws IOException {
        stub.answer("search", (request, response) -> {
            hopByHop(response).setChunked(true).putHeader("Content-Type", "application/json");
            response.write("{\"hits\":");
            response.end("[]}");
        });

        List<Raw> answers = exchange(get("/api/v1/search?q=speech"), get("/api/v1/search?q=speech"));

        for (Raw raw : answers) {
            raw.assertSingleFraming();
            assertThat(raw.status).isEqualTo(200);
            assertThat(raw.header("transfer-encoding")).isEqualToIgnoringCase("chunked");
            assertThat(raw.bodyText()).isEqualTo("{\"hits\":[]}");
            raw.assertNoHopByHop();
        }
    }

    @Test
    void streamedFileKeepsItsLengthAndBytes() throws IOException {
        byte[] content = Bytes.random(3 * 1024 * 1024 + 7, 5);
        stub.answer(
                "artifact",
                (request, response) -> hopByHop(response)
                        .putHeader("Content-Type", "application/octet-stream")
                        .putHeader("ETag", "\"abc\"")
                        .putHeader("Accept-Ranges", "bytes")
                        .end(Buffer.buffer(content)));

        List<Raw> answers = exchange(get(LISTING + "/files/model.bin"), get(LISTING + "/files/model.bin"));

        for (Raw raw : answers) {
            raw.assertSingleFraming();
            assertThat(raw.status).isEqualTo(200);
            assertThat(raw.header("content-length")).isEqualTo(Integer.toString(content.length));
            assertThat(raw.header("accept-ranges")).isEqualTo("bytes");
            assertThat(raw.body).isEqualTo(content);
            raw.assertNoHopByHop();
        }
    }

    @Test
    void theServicesDateIsRelayedOnceAndUnchanged() throws IOException {
        // A date long past, so that a Date stamped by the gateway (its own clock) cannot pass for it.
        String date = "Sun, 06 Nov 1994 08:49:37 GMT";
        stub.answer(
                "catalog",
                (request, response) -> response.putHeader("Date", date)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"namespace\":\"acme\",\"name\":\"whisper-small\"}"));
        stub.answer("search", (request, response) -> {
            response.setChunked(true).putHeader("Date", date).putHeader("Content-Type", "application/json");
            response.write("{\"hits\":");
            response.end("[]}");
        });

        stub.answer(
                "artifact",
                (request, response) -> response.putHeader("Date", date)
                        .putHeader("Content-Type", "application/octet-stream")
                        .putHeader("Content-Length", "1048576")
                        .end());

        List<Raw> answers = exchange(get(LISTING), head(LISTING + "/files/model.bin"), get("/api/v1/search?q=speech"));

        for (Raw raw : answers) {
            raw.assertSingleFraming();
            assertThat(raw.status).isEqualTo(200);
            assertThat(raw.count("date")).isEqualTo(1);
            assertThat(raw.header("date")).isEqualTo(date);
        }
        assertThat(answers.get(2).bodyText()).isEqualTo("{\"hits\":[]}");
    }

    @Test
    void headHasTheLengthButNoBody() throws IOException {
        stub.answer(
                "artifact",
                (request, response) -> hopByHop(response)
                        .putHeader("Content-Type", "application/octet-stream")
                        .putHeader("Content-Length", "1048576")
                        .putHeader("X-Linked-Size", "1048576")
                        .end());

        List<Raw> answers = exchange(head(LISTING + "/files/model.bin"), head(LISTING + "/files/model.bin"));

        for (Raw raw : answers) {
            raw.assertSingleFraming();
            assertThat(raw.status).isEqualTo(200);
            assertThat(raw.header("content-length")).isEqualTo("1048576");
            assertThat(raw.header("x-linked-size")).isEqualTo("1048576");
            assertThat(raw.body).isEmpty();
        }
        assertThat(stub.calls("artifact"))
                .allSatisfy(call -> assertThat(call.method()).isEqualTo("HEAD"));
    }

    @Test
    void notModifiedHasNoBody() throws IOException {
        stub.answer(
                "catalog",
                (request, response) -> hopByHop(response)
                        .setStatusCode(304)
                        .putHeader("ETag", "\"4\"")
                        .end());

        String conditional = "GET " + LISTING + " HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"4\"\r\n\r\n";
        List<Raw> answers = exchange(new Sent("GET", conditional), new Sent("GET", conditional));

        for (Raw raw : answers) {
            assertThat(raw.status).isEqualTo(304);
            assertThat(raw.header("transfer-encoding")).isNull();
            assertThat(raw.header("etag")).isEqualTo("\"4\"");
            assertThat(raw.body).isEmpty();
            raw.assertNoHopByHop();
        }
    }

    @Test
    void anAnswerFromTheEdgeCacheIsFramedLikeTheRelayedOne() throws IOException {
        String listing = LISTING + "-cached-" + java.util.UUID.randomUUID();
        stub.answer(
                "catalog",
                (request, response) -> hopByHop(response)
                        .putHeader("Cache-Control", "public, max-age=0, s-maxage=60")
                        .putHeader("ETag", "\"7\"")
                        .putHeader("Content-Type", "application/json")
                        .end("{\"namespace\":\"acme\",\"name\":\"whisper-small\"}"));
        String conditional = "GET " + listing + " HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"7\"\r\n\r\n";

        List<Raw> answers =
                exchange(get(listing), get(listing), head(listing), new Sent("GET", conditional), get(listing));

        assertThat(answers)
                .extracting(raw -> raw.header("x-cache"))
                .containsExactly("MISS", "HIT", "HIT", "HIT", "HIT");
        assertThat(answers).extracting(raw -> raw.status).containsExactly(200, 200, 200, 304, 200);
        for (Raw raw : answers) {
            raw.assertSingleFraming();
            raw.assertNoHopByHop();
            assertThat(raw.header("transfer-encoding")).isNull();
            assertThat(raw.header("etag")).isEqualTo("\"7\"");
        }
        Raw relayed = answers.get(0);
        for (Raw cached : List.of(answers.get(1), answers.get(2), answers.get(4))) {
            assertThat(cached.header("content-length"))
                    .isEqualTo(relayed.header("content-length"))
                    .isEqualTo("43");
            assertThat(cached.header("content-type")).isEqualTo(relayed.header("content-type"));
            assertThat(cached.header("age")).isNotNull();
        }
        assertThat(answers.get(1).body).isEqualTo(relayed.body);
        assertThat(answers.get(4).body).isEqualTo(relayed.body);
        assertThat(answers.get(2).body).isEmpty();
        assertThat(answers.get(3).body).isEmpty();
        assertThat(answers.get(3).header("content-length")).isNull();
        assertThat(answers).extracting(raw -> raw.header("x-request-id")).doesNotHaveDuplicates();
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void errorsOfServiceAndGatewayAreFramedProblems() throws IOException {
        stub.answer(
                "catalog",
                (request, response) -> hopByHop(response)
                        .setStatusCode(404)
                        .putHeader("Content-Type", "application/problem+json")
                        .end(Listings.problem(404, "Listing not found", "no listing acme/nope")));
        stub.down("artifact");

        List<Raw> answers = exchange(
                get("/api/v1/listings/acme/nope"), // the service's problem, passed through
                get("/api/v1/nowhere"), // the gateway's 404 (Quarkus REST)
                get(LISTING + "/files/model.bin"), // the gateway's 503 (proxy: the service is down)
                get("/api/v1/entitlements/acme/x"), // the gateway's 401 (edge)
                get("/api/v1/taxonomy/../admin")); // out of the table

        assertThat(answers).extracting(raw -> raw.status).containsExactly(404, 404, 503, 401, 404);
        for (Raw raw : answers) {
            raw.assertSingleFraming();
            assertThat(raw.header("content-type")).startsWith("application/problem+json");
            assertThat(raw.bodyText()).contains("\"status\":" + raw.status);
            raw.assertNoHopByHop();
        }
        assertThat(answers.get(2).header("retry-after")).isEqualTo("5");
        assertThat(answers.get(3).header("www-authenticate")).startsWith("Bearer");
    }

    @Test
    void aRelayedUploadThatWaitsForContinueGetsItAndItsBodyReachesTheService() throws IOException {
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"path\":\"model.bin\"}"));

        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("PUT " + LISTING + "/files/model.bin HTTP/1.1\r\nHost: localhost\r\n"
                            + "Authorization: " + TestTokens.bearer("alice", "vendor") + "\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Length: 5\r\n"
                            + "Expect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Like curl, send nothing until the gateway says go on (curl gives up waiting after a second; this
            // waits longer, so a missing 100 fails here instead of passing slowly).
            socket.setSoTimeout(10_000);
            Raw interim = Raw.read(in, "PUT");
            assertThat(interim.status).isEqualTo(100);

            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Raw answer = Raw.read(in, "PUT");
            assertThat(answer.status).isEqualTo(201);
            answer.assertSingleFraming();
            assertThat(answer.bodyText()).isEqualTo("{\"path\":\"model.bin\"}");
        }
        DownstreamStub.Recorded call = stub.onlyCall("artifact");
        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.body().toString()).isEqualTo("hello");
    }

    @Test
    void requestIdIsEchoedAndSentDownstream() throws IOException {
        stub.json("catalog", 200, "{}");

        String withId = "GET /api/v1/taxonomy HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: trace-me-42\r\n\r\n";
        List<Raw> answers = exchange(new Sent("GET", withId), get("/api/v1/taxonomy"));

        assertThat(answers.get(0).header("x-request-id")).isEqualTo("trace-me-42");
        assertThat(answers.get(1).header("x-request-id")).matches("[0-9a-f-]{36}");
        assertThat(stub.calls("catalog"))
                .extracting(call -> call.header("X-Request-Id"))
                .containsExactly("trace-me-42", answers.get(1).header("x-request-id"));
    }

    /** The service sets hop-by-hop headers that must not reach the caller. */
    private static HttpServerResponse hopByHop(HttpServerResponse response) {
        return response.putHeader("Keep-Alive", "timeout=5")
                .putHeader("Proxy-Authenticate", "Basic")
                .putHeader("Upgrade", "h2c");
    }

    private static Sent get(String uri) {
        return new Sent("GET", "GET " + uri + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    private static Sent head(String uri) {
        return new Sent("HEAD", "HEAD " + uri + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    record Sent(String method, String text) {}

    /** Sends the requests one after another on one connection and reads each answer by its own framing. */
    private static List<Raw> exchange(Sent... requests) throws IOException {
        List<Raw> answers = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (Sent request : requests) {
                out.write(request.text().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                answers.add(Raw.read(in, request.method()));
            }
            // Nothing may follow the last answer: a stray body would be here.
            socket.setSoTimeout(300);
            try {
                int extra = in.read();
                assertThat(extra).as("bytes after the last answer").isIn(-1);
            } catch (java.net.SocketTimeoutException expected) {
                // the connection is idle, as it should be
            }
        }
        return answers;
    }

    /** One HTTP/1.1 response as read from the wire. */
    static final class Raw {
        int status;
        final List<String[]> headers = new ArrayList<>();
        byte[] body = new byte[0];

        String header(String name) {
            return headers.stream()
                    .filter(h -> h[0].equalsIgnoreCase(name))
                    .map(h -> h[1])
                    .findFirst()
                    .orElse(null);
        }

        long count(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).count();
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        void assertSingleFraming() {
            assertThat(header("content-length") != null && header("transfer-encoding") != null)
                    .as(
                            "Content-Length and Transfer-Encoding together: %s",
                            headers.stream().map(h -> h[0] + ": " + h[1]).toList())
                    .isFalse();
            assertThat(count("content-length")).isLessThanOrEqualTo(1);
        }

        void assertNoHopByHop() {
            for (String name : HOP_BY_HOP) {
                assertThat(header(name)).as(name).isNull();
            }
        }

        static Raw read(InputStream in, String method) throws IOException {
            Raw raw = new Raw();
            String statusLine = line(in);
            assertThat(statusLine).startsWith("HTTP/1.1 ");
            raw.status = Integer.parseInt(statusLine.substring(9, 12));
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                raw.headers.add(new String[] {
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim()
                });
            }
            boolean bodiless = "HEAD".equals(method) || raw.status == 304 || raw.status == 204 || raw.status < 200;
            if (bodiless) {
                return raw;
            }
            if ("chunked".equalsIgnoreCase(raw.header("transfer-encoding"))) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                        size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    assertThat(line(in)).isEmpty();
                }
                for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                    // trailers (none expected) end with an empty line
                }
                raw.body = body.toByteArray();
            } else {
                String length = raw.header("content-length");
                assertThat(length)
                        .as("a response with a body needs a length or chunks")
                        .isNotNull();
                raw.body = in.readNBytes(Integer.parseInt(length));
            }
            return raw;
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b == -1) {
                    throw new IOException("connection closed in the middle of a line: " + line);
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
