package org.modelmarket.search.query.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelmarket.search.projection.CatalogListingsProducer;
import org.modelmarket.search.projection.ListingEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Relevance against the real Elasticsearch node: the demo listings of the local run
 * ({@code deploy/launcher/src/main/resources/demo/listings.json}) go through the real projection, then the judged
 * query set ({@code relevance/judged-queries.json}) is scored by nDCG@10 and the relevance rules are checked one by
 * one. Rankings are read over the demo listings only (the shared index also holds other tests' fixtures).
 */
@QuarkusTest
class RelevanceTest {

    /** Mean nDCG@10 of the judged set may not fall below this; set from the first run, only ever raised. */
    static final double NDCG_THRESHOLD = 0.95;

    private static final String PATH = "/api/v1/search";
    private static final Duration PROJECTION = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEMO_VENDORS = "acme,nimbus,alice";
    private static final Set<String> DEMO_IDS = new LinkedHashSet<>();
    private static final String MARKER = "r" + UUID.randomUUID().toString().substring(0, 8);
    private static CatalogListingsProducer catalog;

    @BeforeAll
    static void connect() {
        catalog = new CatalogListingsProducer();
    }

    @AfterAll
    static void disconnect() {
        catalog.close();
    }

    /** Once per class, after Quarkus listens: publish the demo listings as catalog-service would, await them. */
    @BeforeEach
    void publishDemoListings() throws IOException {
        if (!DEMO_IDS.isEmpty()) {
            return;
        }
        Path file = Path.of(System.getProperty("modelmarket.home", ".."))
                .resolve("deploy/launcher/src/main/resources/demo/listings.json");
        for (JsonNode listing : JSON.readTree(file.toFile())) {
            String namespace = listing.get("namespace").asText();
            String name = listing.get("name").asText();
            String id = namespace + "/" + name;
            // a stable listing id: a second publication of the same state is a stale no-op
            String listingId = UUID.nameUUIDFromBytes(("demo:" + id).getBytes(StandardCharsets.UTF_8))
                    .toString();
            ListingEvents.Listing event = new ListingEvents.Listing(
                            listingId,
                            namespace,
                            name,
                            listing.get("title").asText(),
                            listing.path("summary").asText(null),
                            MARKER,
                            "public",
                            "published",
                            1,
                            Instant.parse("2026-11-22T10:00:00Z"),
                            Map.of())
                    .with("modality", listing.get("modality").asText())
                    .with("task", listing.get("task").asText())
                    .with("license", listing.get("license").asText())
                    .with("priceType", listing.get("priceType").asText())
                    .with("tags", strings(listing.path("tags")))
                    .with("languages", strings(listing.path("languages")))
                    .with("frameworks", strings(listing.path("frameworks")))
                    .with("formats", strings(listing.path("formats")))
                    .with("datasets", strings(listing.path("datasets")))
                    .with("modelCard", listing.path("modelCard").asText(""))
                    .with(
                            "vendor",
                            Map.of(
                                    "namespace",
                                    namespace,
                                    "displayName",
                                    namespace.substring(0, 1).toUpperCase(Locale.ROOT) + namespace.substring(1),
                                    "verified",
                                    true));
            catalog.publish(event);
            DEMO_IDS.add(id);
        }
        await().atMost(PROJECTION)
                .until(() -> ids(Map.of("vendor", DEMO_VENDORS, "size", "100")).containsAll(DEMO_IDS));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    // ---- the judged query set ----

    @Test
    void judgedQuerySetScoresAboveTheThreshold() throws IOException {
        JsonNode queries;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("relevance/judged-queries.json")) {
            queries = JSON.readTree(in).get("queries");
        }
        assertThat(queries.size()).isGreaterThanOrEqualTo(40);
        StringBuilder report = new StringBuilder("nDCG@10 of the judged query set (demo listings)\n");
        Map<String, List<Double>> byKind = new LinkedHashMap<>();
        double sum = 0;
        for (JsonNode query : queries) {
            Map<String, Integer> grades = new LinkedHashMap<>();
            query.get("relevant")
                    .fields()
                    .forEachRemaining(e -> grades.put(e.getKey(), e.getValue().asInt()));
            assertThat(DEMO_IDS).as("judged listings exist in the demo data").containsAll(grades.keySet());
            List<String> ranking = demoRanking(query.get("q").asText());
            double ndcg = ndcgAt10(ranking, grades);
            sum += ndcg;
            byKind.computeIfAbsent(query.get("kind").asText(), k -> new ArrayList<>())
                    .add(ndcg);
            report.append(String.format(
                    Locale.ROOT,
                    "%.3f  %-12s %-30s top: %s%n",
                    ndcg,
                    query.get("kind").asText(),
                    query.get("q").asText(),
                    ranking.subList(0, Math.min(5, ranking.size()))));
        }
        double mean = sum / queries.size();
        byKind.forEach((kind, values) -> report.append(String.format(
                Locale.ROOT,
                "kind %-10s %.3f (%d queries)%n",
                kind,
                values.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                values.size())));
        report.append(String.format(
                Locale.ROOT,
                "mean nDCG@10 %.4f over %d queries (threshold %.2f)%n",
                mean,
                queries.size(),
                NDCG_THRESHOLD));
        System.out.print(report);
        Files.writeString(Path.of("target", "relevance-report.txt"), report);
        assertThat(mean).as(report.toString()).isGreaterThanOrEqualTo(NDCG_THRESHOLD);
    }

    /** nDCG@10 with graded gains 2^grade - 1; 0 when nothing relevant is ranked. */
    static double ndcgAt10(List<String> ranking, Map<String, Integer> grades) {
        double dcg = 0;
        for (int i = 0; i < Math.min(10, ranking.size()); i++) {
            dcg += (Math.pow(2, grades.getOrDefault(ranking.get(i), 0)) - 1) / log2(i + 2);
        }
        List<Integer> ideal = grades.values().stream().sorted((a, b) -> b - a).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(10, ideal.size()); i++) {
            idcg += (Math.pow(2, ideal.get(i)) - 1) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    @Test
    void ndcgIsOneForTheIdealOrderAndFallsWhenTheBestIsBuried() {
        Map<String, Integer> grades = Map.of("a", 3, "b", 1);
        assertThat(ndcgAt10(List.of("a", "b", "c"), grades)).isEqualTo(1.0);
        assertThat(ndcgAt10(List.of("c", "b", "a"), grades)).isLessThan(0.6);
        assertThat(ndcgAt10(List.of("c", "d"), grades)).isZero();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    // ---- the relevance rules, one by one ----

    @ParameterizedTest(name = "task name \"{0}\" finds {1}")
    @CsvSource({
        "sentence similarity, acme/minilm-sentence",
        "automatic speech recognition, acme/whisper-small",
        "depth estimation, acme/dpt-large-depth",
        "zero-shot image classification, acme/clip-vit-b32"
    })
    void taskNamesAreSearchable(String q, String expected) {
        assertThat(top(q, 3)).contains(expected);
    }

    @Test
    void taskSynonymsFromTheTaxonomyFindTheTask() {
        Set<String> asr = Set.of("acme/whisper-small", "nimbus/callcenter-asr-pro", "acme/wav2vec2-base-960h");
        assertThat(top("ASR", 3)).containsExactlyInAnyOrderElementsOf(asr);
        assertThat(top("speech to text", 3)).containsExactlyInAnyOrderElementsOf(asr);
        assertThat(top("transcription", 3)).containsExactlyInAnyOrderElementsOf(asr);
        assertThat(top("text to speech", 2))
                .containsExactlyInAnyOrder("acme/speecht5-tts", "nimbus/voice-clone-studio");
        assertThat(demoRanking("ocr")).first().isEqualTo("nimbus/invoice-ocr");
    }

    @Test
    void modalityNamesAreSearchable() {
        List<String> tabular = demoRanking("tabular");
        assertThat(tabular.stream().limit(5).toList())
                .containsExactlyInAnyOrder(
                        "acme/tabnet-credit-risk",
                        "nimbus/demand-forecast-xgb",
                        "alice/churn-lightgbm",
                        "alice/chronos-t5-small",
                        "nimbus/fraud-guard");
    }

    @ParameterizedTest(name = "\"{0}\" as typed finds {1}")
    @CsvSource({
        "whisp, acme/whisper-small",
        "stable diff, alice/stable-diffusion-mini",
        "segment any, acme/sam-vit-base",
        "llav, acme/llava-7b"
    })
    void theLastWordMatchesAsAPrefix(String q, String expected) {
        assertThat(demoRanking(q)).first().isEqualTo(expected);
    }

    @ParameterizedTest(name = "typo \"{0}\" still finds {1}")
    @CsvSource({
        "wisper, acme/whisper-small",
        "segmantation, nimbus/segformer-b2-cityscapes",
        "reinforcment lerning, acme/ppo-lunarlander",
        "sumarization, nimbus/legal-summarizer-xl"
    })
    void typosOfOneOrTwoLettersStillFind(String q, String expected) {
        assertThat(top(q, 3)).contains(expected);
    }

    @Test
    void anExactIdOrNameRanksFirst() {
        assertThat(demoRanking("acme/detr-resnet-50")).first().isEqualTo("acme/detr-resnet-50");
        assertThat(demoRanking("resnet-50-imagenet")).first().isEqualTo("acme/resnet-50-imagenet");
        assertThat(demoRanking("ACME/Whisper-Small")).first().isEqualTo("acme/whisper-small");
    }

    @Test
    void popularityBreaksTiesWithoutBuryingAnExactMatch() {
        String word = "zyx" + MARKER;
        // same text, very different popularity
        ListingEvents.Listing quiet = ListingEvents.newListing("Okapi " + word + " detector", "Finds okapis.")
                .withMarker(MARKER)
                .withStats(10, 0, 0, 0.0, 0);
        ListingEvents.Listing popular = ListingEvents.newListing("Okapi " + word + " detector", "Finds okapis.")
                .withMarker(MARKER)
                .withStats(5_000_000, 100_000, 20_000, 4.9, 3_000);
        // named exactly what is typed, never downloaded
        ListingEvents.Listing exact = ListingEvents.newListing("Something else", "Unrelated text.")
                .withName(word)
                .withMarker(MARKER)
                .withStats(0, 0, 0, 0.0, 0);
        List.of(quiet, popular, exact).forEach(catalog::publish);
        await().atMost(PROJECTION).until(() -> total(Map.of("tags", MARKER)) == 3);

        List<String> okapi = ids(Map.of("q", "okapi detector", "tags", MARKER));
        assertThat(okapi).containsExactly(popular.id(), quiet.id());
        List<String> typed = ids(Map.of("q", word, "tags", MARKER));
        assertThat(typed).first().isEqualTo(exact.id());
        assertThat(typed).containsExactly(exact.id(), popular.id(), quiet.id());
    }

    @Test
    void highlightsMarkTheMatchedWords() {
        JsonPath body = search(Map.of("q", "whisper", "vendor", DEMO_VENDORS));
        assertThat(body.getString("items[0].id")).isEqualTo("acme/whisper-small");
        assertThat(body.getList("items[0].highlights.title", String.class)).containsExactly("<em>Whisper</em> Small");
        assertThat(body.getMap("items[0]")).doesNotContainKeys("searchTerms", "modelCard");
    }

    // ---- helpers ----

    /** The demo listings' ids in the order the service ranks them for {@code q}. */
    private static List<String> demoRanking(String q) {
        return ids(Map.of("q", q, "vendor", DEMO_VENDORS, "size", "20")).stream()
                .filter(DEMO_IDS::contains)
                .toList();
    }

    private static List<String> top(String q, int n) {
        return demoRanking(q).stream().limit(n).toList();
    }

    private static List<String> ids(Map<String, String> params) {
        return search(params).getList("items.id", String.class);
    }

    private static long total(Map<String, String> params) {
        return search(params).getLong("total");
    }

    private static JsonPath search(Map<String, String> params) {
        return given().queryParams(params)
                .when()
                .get(PATH)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
