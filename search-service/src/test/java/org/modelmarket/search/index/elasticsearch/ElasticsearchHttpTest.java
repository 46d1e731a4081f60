package org.modelmarket.search.index.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.search.index.IndexUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The hot reads' Vert.x client against the real Elasticsearch of the tests: the answer's body, error statuses with
 * Elasticsearch's reason, and the same failures as the low-level client had before (404 and 429/5xx: retry later,
 * i.e. 503; any other refusal: our bug, i.e. 500; a node that does not answer: 503 after the socket timeout).
 */
@QuarkusTest
class ElasticsearchHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ElasticsearchHttp http;

    @Inject
    ListingIndexDefinition definition;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @Test
    void answersWithTheBody() throws Throwable {
        String path = "/" + definition.readAlias() + "/_search";
        byte[] body = "{\"size\":0,\"track_total_hits\":true}".getBytes(StandardCharsets.UTF_8);
        // the index and its aliases are created asynchronously at startup
        await().atMost(WAIT).until(() -> catchThrowable(() -> post(http, path, body, "application/json")) == null);
        JsonNode answer =
                json.readTree(post(http, path, body, "application/json").getBytes());
        assertThat(answer.path("hits").path("total").path("relation").asText()).isEqualTo("eq");
        assertThat(answer.path("timed_out").asBoolean(true)).isFalse();
    }

    @Test
    void aMissingIndexIsAStatusWithElasticsearchsReasonAndMeansRetryLater() {
        Throwable failure = catchThrowable(() -> post(
                http, "/modelmarket-no-such-index/_search", "{}".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertThat(failure).isInstanceOf(ElasticsearchHttp.StatusException.class);
        assertThat(((ElasticsearchHttp.StatusException) failure).status()).isEqualTo(404);
        assertThat(failure).hasMessageContaining("index_not_found_exception");
        assertThat(ElasticsearchListingIndex.translateRestFailure(failure, "search"))
                .isInstanceOf(IndexUnavailableException.class)
                .hasMessageContaining("index_not_found_exception");
    }

    @Test
    void aRefusedRequestIsOurBug() {
        Throwable failure = catchThrowable(() -> post(
                http,
                "/" + definition.readAlias() + "/_search",
                "{\"query\":{\"no_such_query\":{}}}".getBytes(StandardCharsets.UTF_8),
                "application/json"));
        assertThat(failure).isInstanceOf(ElasticsearchHttp.StatusException.class);
        assertThat(((ElasticsearchHttp.StatusException) failure).status()).isEqualTo(400);
        assertThat(ElasticsearchListingIndex.translateRestFailure(failure, "search"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(400)")
                .hasMessageContaining("no_such_query");
    }

    @Test
    void overloadedOrFailingNodesMeanRetryLater() {
        for (int status : List.of(429, 500, 502, 503, 504)) {
            assertThat(ElasticsearchListingIndex.translateRestFailure(
                            new ElasticsearchHttp.StatusException(status, "{}"), "search"))
                    .as("status %d", status)
                    .isInstanceOf(IndexUnavailableException.class);
        }
    }

    @Test
    void aNodeThatDoesNotAnswerTimesOutAndMeansRetryLater() throws Exception {
        // accepts connections (into the listen backlog) and never answers, like a hung node
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ElasticsearchHttp client = new ElasticsearchHttp(
                    vertx,
                    List.of("127.0.0.1:" + hung.getLocalPort()),
                    "http",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(300),
                    2);
            try {
                Throwable failure = catchThrowable(() ->
                        post(client, "/listings/_search", "{}".getBytes(StandardCharsets.UTF_8), "application/json"));
                assertThat(failure).isInstanceOf(TimeoutException.class);
                assertThat(ElasticsearchListingIndex.translateRestFailure(failure, "search"))
                        .isInstanceOf(IndexUnavailableException.class);
            } finally {
                client.close();
            }
        }
    }

    /** The answer's body, or the client's failure itself (Mutiny's await wraps checked exceptions). */
    private static Buffer post(ElasticsearchHttp client, String path, byte[] body, String contentType)
            throws Throwable {
        try {
            return client.post(path, body, contentType).await().atMost(WAIT);
        } catch (CompletionException e) {
            throw e.getCause() != null ? e.getCause() : e;
        }
    }
}
