package org.modelmarket.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.stack.elasticsearch.ElasticsearchEngine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Elasticsearch engine, started for real: our analysis module (english, edge_ngram, asciifolding), GET /, a clean stop. */
class ElasticsearchEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "listings";

    private static Path dir;
    private static ElasticsearchEngine engine;

    @BeforeAll
    static void start() {
        dir = Path.of("target", "es-test-" + UUID.randomUUID()).toAbsolutePath();
        engine = new ElasticsearchEngine(0, dir, 256);
        engine.start();
    }

    @AfterAll
    static void stop() throws IOException {
        int port = engine.port();
        long pid = engine.pid();
        assertThat(pid).as("node running before close").isPositive();
        engine.close();
        assertThat(Ports.inUse(port)).as("HTTP port released").isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("node process gone")
                .isFalse();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void rootAnswersLikeARealNode() throws Exception {
        HttpResponse<String> root = call("GET", "/", null);
        assertThat(root.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(root.body());
        assertThat(body.at("/version/number").asText()).isEqualTo("9.5.3");
        assertThat(body.at("/cluster_name").asText()).isEqualTo("modelmarket");
        assertThat(body.at("/cluster_uuid").asText()).isNotBlank();
        // The official client's product check and ping() rely on these.
        assertThat(root.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
        assertThat(Http.send(HttpRequest.newBuilder(URI.create(engine.url() + "/"))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void englishStemmingAndPrefixMatchingWork() throws Exception {
        HttpResponse<String> created = call("PUT", "/" + INDEX, """
                {"settings": {"number_of_shards": 1, "number_of_replicas": 0,
                  "analysis": {
                    "filter": {"prefix_grams": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20}},
                    "analyzer": {"prefix": {"type": "custom", "tokenizer": "standard",
                                            "filter": ["lowercase", "asciifolding", "prefix_grams"]}}}},
                 "mappings": {"properties": {
                    "title": {"type": "text", "analyzer": "english",
                              "fields": {"prefix": {"type": "text", "analyzer": "prefix", "search_analyzer": "standard"}}}}}}
                """);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(call("GET", "/_cluster/health/" + INDEX + "?wait_for_status=green&timeout=10s", null)
                        .body())
                .contains("\"status\":\"green\"");

        HttpResponse<String> indexed = call("POST", "/_bulk?refresh=true", """
                {"index": {"_index": "listings", "_id": "resnet"}}
                {"title": "ResNet-50 runs image classification"}
                {"index": {"_index": "listings", "_id": "whisper"}}
                {"title": "Whisper transcribes café conversations"}
                """);
        assertThat(indexed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(indexed.body()).get("errors").asBoolean())
                .as(indexed.body())
                .isFalse();

        assertThat(search("title", "running")).containsExactly("resnet");
        assertThat(search("title.prefix", "resn")).containsExactly("resnet");
        assertThat(search("title.prefix", "cafe"))
                .as("asciifolding before the grams")
                .containsExactly("whisper");
    }

    private static List<String> search(String field, String text) throws IOException {
        HttpResponse<String> response = call(
                "POST",
                "/" + INDEX + "/_search",
                JSON.createObjectNode()
                        .set(
                                "query",
                                JSON.createObjectNode()
                                        .set("match", JSON.createObjectNode().put(field, text)))
                        .toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).at("/hits/hits").findValuesAsText("_id");
    }

    private static HttpResponse<String> call(String method, String path, String json) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(engine.url() + path)).timeout(Duration.ofSeconds(30));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return Http.send(request.build());
    }
}
