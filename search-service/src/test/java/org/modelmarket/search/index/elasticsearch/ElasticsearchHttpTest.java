package org.modelmarket.search.index.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.search.index.IndexUnavailableException;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The hot reads' HTTP client: what it sends (method, path, content type, credentials, the exact bytes), what it gives
 * back for a 2xx and for a refusal, and how the adapter sorts its failures into "retry later" (503) and "our bug". The
 * server is a Vert.x HTTP server that records the requests; the searches themselves run against the local stack's
 * Elasticsearch in the query tests.
 */
class ElasticsearchHttpTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    SEEN.add(request.method() + " " + request.uri() + " " + request.getHeader("Content-Type") + " "
                            + request.getHeader("Authorization") + " " + body.toString(StandardCharsets.UTF_8));
                    int status = request.uri().startsWith("/missing") ? 404 : 200;
                    request.response().setStatusCode(status).end(status == 200 ? "{\"ok\":true}" : "{\"error\":1}");
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ElasticsearchHttp client(int port, Optional<String> user) {
        return new ElasticsearchHttp(
                vertx,
                List.of("127.0.0.1:" + port),
                "http",
                user,
                user.map(u -> "secret"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                2);
    }

    @Test
    void postsTheBytesAndGivesBackTheAnswer() {
        SEEN.clear();
        byte[] answer = client(server.actualPort(), Optional.empty())
                .post("/_msearch", "application/x-ndjson", "{}\n{\"size\":1}\n".getBytes(StandardCharsets.UTF_8))
                .await()
                .atMost(Duration.ofSeconds(10));

        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(SEEN).containsExactly("POST /_msearch application/x-ndjson null {}\n{\"size\":1}\n");
    }

    @Test
    void sendsBasicCredentialsWhenAUserIsSet() {
        SEEN.clear();
        client(server.actualPort(), Optional.of("modelmarket"))
                .post("/listings-read/_search", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                .await()
                .atMost(Duration.ofSeconds(10));

        assertThat(SEEN)
                .containsExactly("POST /listings-read/_search application/json Basic bW9kZWxtYXJrZXQ6c2VjcmV0 {}");
    }

    @Test
    void aRefusalCarriesItsStatusAndAMissingIndexMeansRetryLater() {
        ElasticsearchHttp http = client(server.actualPort(), Optional.empty());

        assertThatThrownBy(() -> http.post("/missing/_search", "application/json", new byte[0])
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ElasticsearchHttp.StatusException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(404);
                    assertThat(ElasticsearchListingIndex.translateHttpFailure(refused, "search"))
                            .isInstanceOf(IndexUnavailableException.class);
                });
    }

    @Test
    void failuresAreSortedIntoRetryLaterAndOurBugs() {
        assertThat(ElasticsearchListingIndex.translateHttpFailure(
                        new ElasticsearchHttp.StatusException(503, "busy"), "search"))
                .isInstanceOf(IndexUnavailableException.class);
        assertThat(ElasticsearchListingIndex.translateHttpFailure(
                        new ElasticsearchHttp.StatusException(429, "too many"), "search"))
                .isInstanceOf(IndexUnavailableException.class);
        assertThat(ElasticsearchListingIndex.translateHttpFailure(
                        new ElasticsearchHttp.StatusException(400, "parsing_exception"), "search"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("400");
        assertThat(ElasticsearchListingIndex.translateHttpFailure(new TimeoutException("idle"), "search"))
                .isInstanceOf(IndexUnavailableException.class);
    }

    @Test
    void aNodeThatIsNotThereIsRetryLater() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ElasticsearchHttp http = client(closedPort, Optional.empty());

        assertThatThrownBy(() -> http.post("/_msearch", "application/x-ndjson", new byte[0])
                        .onFailure()
                        .transform(failure -> ElasticsearchListingIndex.translateHttpFailure(failure, "search"))
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .isInstanceOf(IndexUnavailableException.class)
                .hasMessageContaining("unreachable");
    }
}
