package org.modelmarket.search.query.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelmarket.search.projection.CatalogListingsProducer;
import org.modelmarket.search.projection.ListingEvents;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * GET /api/v1/search against real Kafka and Elasticsearch: every filter and sort, facet counts, highlights, cursor
 * paging while writes happen, suggestions and similar listings. The fixtures carry a marker tag of their own, so
 * the assertions see only them whatever else the shared index holds.
 */
@QuarkusTest
class SearchQueryTest {

    private static final String PATH = "/api/v1/search";
    private static final Duration PROJECTION = Duration.ofSeconds(30);

    /** One fixture listing and the values the assertions compute expectations from. */
    record Fixture(
            ListingEvents.Listing listing,
            String modality,
            String task,
            String framework,
            String format,
            String license,
            List<String> languages,
            String vendor,
            String priceType,
            boolean gated,
            long downloads,
            long downloads7d,
            long likes,
            double rating,
            long ratingCount,
            Instant publishedAt,
            Instant updatedAt,
            String modelCard) {

        String listingId() {
            return listing.listingId();
        }

        ListingEvents.Listing event() {
            return listing.updatedAt(updatedAt)
                    .with("modality", modality)
                    .with("task", task)
                    .with("frameworks", List.of(framework))
                    .with("formats", List.of(format))
                    .with("license", license)
                    .with("languages", languages)
                    .with("vendor", Map.of("namespace", vendor, "displayName", vendor, "verified", true))
                    .with("priceType", priceType)
                    .with("gated", gated)
                    .with("modelCard", modelCard)
                    .with("publishedAt", publishedAt.toString())
                    .withStats(downloads, downloads7d, likes, rating, ratingCount);
        }
    }

    private static final String MARKER = "q" + UUID.randomUUID().toString().substring(0, 8);
    private static final String WALK = "w" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<Fixture> FIXTURES = new ArrayList<>();
    private static final List<ListingEvents.Listing> WALKED = new ArrayList<>();
    private static CatalogListingsProducer catalog;

    @BeforeAll
    static void connect() {
        catalog = new CatalogListingsProducer();
    }

    /** Once per class, but only once Quarkus listens (RestAssured knows its port from the first test on). */
    @BeforeEach
    void publishFixtures() {
        if (!FIXTURES.isEmpty()) {
            return;
        }
        add(
                "Nebula Image Classifier",
                "Classifies photos into a thousand classes.",
                "",
                "image",
                "image-classification",
                "pytorch",
                "safetensors",
                "apache-2.0",
                List.of("en"),
                "orion",
                "free",
                false,
                5000,
                10,
                50,
                4.8,
                100,
                "2026-01-01",
                "2026-03-01");
        add(
                "Nebula Object Detector",
                "Finds and boxes objects in street scenes.",
                "",
                "image",
                "object-detection",
                "pytorch",
                "onnx",
                "mit",
                List.of("en"),
                "orion",
                "free",
                false,
                3000,
                900,
                40,
                4.2,
                30,
                "2026-02-01",
                "2026-02-15");
        add(
                "Quasar Text Summarizer",
                "Summarizes long documents into a paragraph.",
                "",
                "text",
                "summarization",
                "tensorflow",
                "safetensors",
                "apache-2.0",
                List.of("en", "de"),
                "lyra",
                "paid",
                false,
                800,
                500,
                300,
                3.9,
                10,
                "2026-03-01",
                "2026-03-20");
        add(
                "Quasar Translator",
                "Translates German and French documents.",
                "",
                "text",
                "translation",
                "jax",
                "safetensors",
                "cc-by-4.0",
                List.of("de", "fr"),
                "lyra",
                "trial",
                true,
                100,
                5,
                5,
                2.5,
                4,
                "2026-04-01",
                "2026-04-02");
        add(
                "Pulsar Speech Recognizer",
                "Transcribes meetings and podcasts.",
                "",
                "audio",
                "automatic-speech-recognition",
                "pytorch",
                "gguf",
                "mit",
                List.of("en"),
                "vega",
                "paid",
                true,
                2000,
                50,
                10,
                4.0,
                8,
                "2025-12-01",
                "2026-05-01");
        add(
                "Comet Tabular Regressor",
                "Predicts house prices from tabular features.",
                "",
                "tabular",
                "tabular-regression",
                "sklearn",
                "pickle",
                "apache-2.0",
                List.of(),
                "vega",
                "free",
                false,
                50,
                40,
                1,
                0.0,
                0,
                "2026-05-01",
                "2026-05-02");
        add(
                "Stellar Depth Estimator",
                "Inspired by nebula imagery, estimates depth from one photo.",
                "",
                "image",
                "depth-estimation",
                "pytorch",
                "safetensors",
                "apache-2.0",
                List.of("en"),
                "orion",
                "free",
                false,
                90000,
                2000,
                900,
                3.0,
                50,
                "2026-06-01",
                "2026-06-05");
        add(
                "Galaxy Segmenter",
                "Segments satellite images into land cover classes.",
                "## Training\nTrained on survey images; the nebula subset was left out on purpose.",
                "image",
                "image-segmentation",
                "pytorch",
                "safetensors",
                "apache-2.0",
                List.of("en"),
                "orion",
                "free",
                false,
                70000,
                3000,
                800,
                3.5,
                40,
                "2026-07-01",
                "2026-07-02");
        FIXTURES.forEach(f -> catalog.publish(f.event()));
        for (int i = 0; i < 7; i++) {
            ListingEvents.Listing walked = ListingEvents.newListing("Walker " + i, "Cursor walk fixture " + i)
                    .withMarker(WALK)
                    .withStats(100 * (i + 1), 0, 0, 0.0, 0);
            WALKED.add(walked);
            catalog.publish(walked);
        }
        await().atMost(PROJECTION)
                .until(() -> total(Map.of("tags", MARKER)) == FIXTURES.size()
                        && total(Map.of("tags", WALK)) == WALKED.size());
    }

    private static void add(
            String title,
            String summary,
            String card,
            String modality,
            String task,
            String framework,
            String format,
            String license,
            List<String> languages,
            String vendor,
            String priceType,
            boolean gated,
            long downloads,
            long downloads7d,
            long likes,
            double rating,
            long ratingCount,
            String published,
            String updated) {
        ListingEvents.Listing listing = ListingEvents.newListing(title, summary).withMarker(MARKER);
        FIXTURES.add(new Fixture(
                listing,
                modality,
                task,
                framework,
                format,
                license,
                languages,
                vendor,
                priceType,
                gated,
                downloads,
                downloads7d,
                likes,
                rating,
                ratingCount,
                Instant.parse(published + "T00:00:00Z"),
                Instant.parse(updated + "T00:00:00Z"),
                card));
    }

    @AfterAll
    static void disconnect() {
        catalog.close();
    }

    // ---- filters ----

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "modality | text",
                "modality | image,audio",
                "task | translation",
                "framework | pytorch",
                "format | onnx",
                "license | mit",
                "language | de",
                "vendor | lyra",
                "priceType | paid",
                "priceType | free,trial",
                "gated | true",
                "minRating | 4",
            })
    void everyFilterKeepsExactlyTheMatchingListings(String param, String value) {
        Set<String> values = Set.of(value.split(","));
        Predicate<Fixture> matches = switch (param) {
            case "modality" -> f -> values.contains(f.modality());
            case "task" -> f -> values.contains(f.task());
            case "framework" -> f -> values.contains(f.framework());
            case "format" -> f -> values.contains(f.format());
            case "license" -> f -> values.contains(f.license());
            case "language" -> f -> f.languages().stream().anyMatch(values::contains);
            case "vendor" -> f -> values.contains(f.vendor());
            case "priceType" -> f -> values.contains(f.priceType());
            case "gated" -> f -> f.gated() == Boolean.parseBoolean(value);
            case "minRating" -> f -> f.rating() >= Double.parseDouble(value);
            default -> throw new IllegalArgumentException(param);
        };
        Map<String, Object> params = new HashMap<>(Map.of("tags", MARKER, "size", 100));
        // multi-valued filters: repeated parameters and comma-separated values both work
        params.put(param, value.contains(",") ? List.of(value.split(",")) : value);

        assertThat(ids(search(params))).containsExactlyInAnyOrderElementsOf(expected(matches));
    }

    @Test
    void filtersCombineAndTagsFilterToo() {
        JsonPath result = search(Map.of("tags", MARKER, "modality", "image", "framework", "pytorch", "minRating", "4"));

        assertThat(ids(result))
                .containsExactlyInAnyOrderElementsOf(expected(
                        f -> f.modality().equals("image") && f.framework().equals("pytorch") && f.rating() >= 4));
        assertThat(total(Map.of("tags", List.of(MARKER, WALK)))).isEqualTo(FIXTURES.size() + WALKED.size());
    }

    // ---- facets ----

    @Test
    void eachFacetCountsUnderTheOtherFiltersButNotItsOwn() {
        JsonPath result = search(Map.of("tags", MARKER, "modality", "image", "priceType", "free"));

        assertThat(ids(result))
                .containsExactlyInAnyOrderElementsOf(expected(
                        f -> f.modality().equals("image") && f.priceType().equals("free")));
        // modality's counts ignore the modality filter, so that other modalities show what they would give
        assertThat(facet(result, "modality"))
                .isEqualTo(counts(f -> f.priceType().equals("free"), Fixture::modality));
        assertThat(facet(result, "priceType"))
                .isEqualTo(counts(f -> f.modality().equals("image"), Fixture::priceType));
        Predicate<Fixture> both =
                f -> f.modality().equals("image") && f.priceType().equals("free");
        assertThat(facet(result, "task")).isEqualTo(counts(both, Fixture::task));
        assertThat(facet(result, "framework")).isEqualTo(counts(both, Fixture::framework));
        assertThat(facet(result, "license")).isEqualTo(counts(both, Fixture::license));
        assertThat(facet(result, "vendor")).isEqualTo(counts(both, Fixture::vendor));
        assertThat(facet(result, "gated")).isEqualTo(counts(both, f -> String.valueOf(f.gated())));
        assertThat(facet(result, "tags").get(MARKER)).isEqualTo(expected(both).size());
        assertThat(facet(result, "minRating").get("4"))
                .isEqualTo(expected(both.and(f -> f.rating() >= 4)).size());
        assertThat(facet(result, "language").get("en"))
                .isEqualTo(expected(both.and(f -> f.languages().contains("en"))).size());
    }

    @Test
    void cachedFacetCountsFollowTheIndexAndAreLeftOutWhenNotAsked() {
        String word = "quokka" + UUID.randomUUID().toString().substring(0, 6);
        ListingEvents.Listing first = ListingEvents.newListing("Quokka " + word + " counter", "Counts quokkas.")
                .with("modality", "image");
        catalog.publish(first);
        await().atMost(PROJECTION).until(() -> total(Map.of("q", word)) == 1);
        // the same facet request twice: the second may come from Elasticsearch's request cache
        assertThat(facet(search(Map.of("q", word)), "modality")).isEqualTo(Map.of("image", 1L));
        assertThat(facet(search(Map.of("q", word)), "modality")).isEqualTo(Map.of("image", 1L));
        // the hits ask for the request cache too: the same page again is a cache hit (facets off, so the hits request
        // is the only search sent)
        assertThat(ids(search(Map.of("q", word, "facets", "false")))).containsExactly(first.listingId());
        long cacheHits = requestCacheHits();
        assertThat(ids(search(Map.of("q", word, "facets", "false")))).containsExactly(first.listingId());
        assertThat(requestCacheHits()).isGreaterThan(cacheHits);

        // a new matching listing: the cached counts are not served once the index has changed
        catalog.publish(ListingEvents.newListing("Quokka " + word + " listener", "Hears quokkas.")
                .with("modality", "audio"));
        await().atMost(PROJECTION).until(() -> total(Map.of("q", word)) == 2);
        JsonPath both = search(Map.of("q", word, "modality", "audio"));
        assertThat(ids(both)).hasSize(1).doesNotContain(first.listingId());
        assertThat(facet(both, "modality")).isEqualTo(Map.of("image", 1L, "audio", 1L));
        // with facets the total is the facets' search's count under all the filters: exact, the hits' own
        assertThat(both.getLong("total")).isEqualTo(1);
        assertThat(both.getString("totalRelation")).isEqualTo("eq");

        JsonPath withoutFacets = search(Map.of("q", word, "facets", "false"));
        assertThat(withoutFacets.getLong("total")).isEqualTo(2);
        // below the hits' counting cap the count is exact
        assertThat(withoutFacets.getString("totalRelation")).isEqualTo("eq");
        assertThat(ids(withoutFacets)).hasSize(2);
        assertThat(withoutFacets.getMap("$")).doesNotContainKey("facets");
    }

    // ---- sorts ----

    @ParameterizedTest
    @CsvSource({"downloads", "likes", "trending", "newest", "updated", "rating"})
    void everySortOrdersTheListings(String sort) {
        Comparator<Fixture> order = switch (sort) {
            case "downloads" -> Comparator.comparingLong(Fixture::downloads);
            case "likes" -> Comparator.comparingLong(Fixture::likes);
            case "trending" -> Comparator.comparingLong(Fixture::downloads7d);
            case "newest" -> Comparator.comparing(Fixture::publishedAt);
            case "updated" -> Comparator.comparing(Fixture::updatedAt);
            case "rating" -> Comparator.comparingDouble(Fixture::rating).thenComparingLong(Fixture::ratingCount);
            default -> throw new IllegalArgumentException(sort);
        };
        List<String> expected = FIXTURES.stream()
                .sorted(order.reversed())
                .map(Fixture::listingId)
                .toList();

        JsonPath result = search(Map.of("tags", MARKER, "sort", sort));

        assertThat(result.getString("sort")).isEqualTo(sort);
        assertThat(ids(result)).containsExactlyElementsOf(expected);
    }

    @Test
    void relevanceRanksTitleOverSummaryOverModelCardAndHighlights() {
        JsonPath result = search(Map.of("tags", MARKER, "q", "nebula"));

        List<String> ids = ids(result);
        assertThat(ids).hasSize(4);
        assertThat(ids.subList(0, 2))
                .containsExactlyInAnyOrder(
                        FIXTURES.get(0).listingId(), FIXTURES.get(1).listingId());
        assertThat(ids.subList(2, 4))
                .containsExactly(FIXTURES.get(6).listingId(), FIXTURES.get(7).listingId());
        assertThat(result.getString("sort")).isEqualTo("relevance");
        assertThat(result.getList("items[0].highlights.title", String.class))
                .singleElement()
                .asString()
                .contains("<em>Nebula</em>");
        assertThat(result.getList("items[2].highlights.summary", String.class))
                .singleElement()
                .asString()
                .contains("<em>nebula</em>");
        assertThat(result.getList("items[3].highlights.modelCard", String.class))
                .singleElement()
                .asString()
                .contains("<em>nebula</em>");
        assertThat(result.getString("items[0].modelCard"))
                .as("model cards stay out of hit lists")
                .isNull();
    }

    @Test
    void typosAndWordFormsStillMatch() {
        assertThat(ids(search(Map.of("tags", MARKER, "q", "nebulla clasifier"))))
                .first()
                .isEqualTo(FIXTURES.get(0).listingId());
        assertThat(ids(search(Map.of("tags", MARKER, "q", "translating"))))
                .containsExactly(FIXTURES.get(3).listingId());
    }

    @Test
    void itemsCarryTheV2Fields() {
        JsonPath result = search(Map.of("tags", MARKER, "task", "translation"));

        assertThat(result.getString("items[0].vendor.namespace")).isEqualTo("lyra");
        assertThat(result.getBoolean("items[0].gated")).isTrue();
        assertThat(result.getList("items[0].formats", String.class)).containsExactly("safetensors");
        assertThat(result.getLong("items[0].stats.downloads")).isEqualTo(100);
        assertThat(result.getDouble("items[0].stats.rating")).isEqualTo(2.5);
        assertThat(result.getString("items[0].publishedAt")).startsWith("2026-04-01");
    }

    @Test
    void pagePagingReportsTheTotal() {
        JsonPath second = search(Map.of("tags", MARKER, "sort", "downloads", "page", 1, "size", 3));

        assertThat(second.getLong("total")).isEqualTo(FIXTURES.size());
        assertThat(second.getInt("page")).isEqualTo(1);
        assertThat(ids(second))
                .containsExactlyElementsOf(FIXTURES.stream()
                        .sorted(Comparator.comparingLong(Fixture::downloads).reversed())
                        .skip(3)
                        .limit(3)
                        .map(Fixture::listingId)
                        .toList());
        assertThat(second.getString("nextCursor")).isNull();
    }

    // ---- cursor paging ----

    @Test
    void aCursorWalkHasNoDuplicatesOrGapsWhileWritesHappen() {
        List<String> before = ids(search(Map.of("tags", WALK, "sort", "downloads", "size", 100)));
        assertThat(before).hasSize(WALKED.size());

        JsonPath page = search(Map.of("tags", WALK, "sort", "downloads", "size", 3, "cursor", "*"));
        List<String> walked = new ArrayList<>(ids(page));
        assertThat(page.getLong("total")).isEqualTo(WALKED.size());
        assertThat(page.getMap("facets")).isNotEmpty();

        // meanwhile: the last listing jumps to the top, one is hidden, one is added; all visible to new searches
        ListingEvents.Listing last = WALKED.stream()
                .filter(w -> w.listingId().equals(before.getLast()))
                .findFirst()
                .orElseThrow();
        ListingEvents.Listing middle = WALKED.stream()
                .filter(w -> w.listingId().equals(before.get(4)))
                .findFirst()
                .orElseThrow();
        ListingEvents.Listing added = ListingEvents.newListing("Walker new", "Added mid-walk")
                .withMarker(WALK)
                .withStats(450, 0, 0, 0.0, 0);
        catalog.publish(last.atVersion(2).withStats(1_000_000, 0, 0, 0.0, 0));
        catalog.publish(middle.atVersion(2).withVisibility("private"));
        catalog.publish(added);
        await().atMost(PROJECTION).until(() -> {
            List<String> live = ids(search(Map.of("tags", WALK, "sort", "downloads", "size", 100)));
            return live.contains(added.listingId())
                    && !live.contains(middle.listingId())
                    && live.getFirst().equals(last.listingId());
        });

        String cursor = page.getString("nextCursor");
        String secondPage = cursor;
        int pages = 1;
        while (cursor != null) {
            page = search(Map.of("tags", WALK, "sort", "downloads", "size", 3, "cursor", cursor));
            walked.addAll(ids(page));
            assertThat(page.getMap("facets"))
                    .as("facets only on the first page")
                    .isNull();
            cursor = page.getString("nextCursor");
            pages++;
        }

        assertThat(walked).as("the walk reads the point in time it started at").containsExactlyElementsOf(before);
        assertThat(pages).isEqualTo(3);

        // the walk closed its point in time on the last page: an old cursor goes on over the live index instead. The
        // close is sent without waiting for it (the last page need not wait), so a replay right after may still read
        // the snapshot for a moment: poll.
        List<String> firstPage = walked.subList(0, 3);
        await().atMost(PROJECTION)
                .untilAsserted(() -> assertThat(
                                ids(search(Map.of("tags", WALK, "sort", "downloads", "size", 3, "cursor", secondPage))))
                        .hasSize(3)
                        .doesNotContainAnyElementsOf(firstPage)
                        .doesNotContain(middle.listingId()));
    }

    @Test
    void aCursorOnlyContinuesItsOwnQuery() {
        String cursor = search(Map.of("tags", WALK, "sort", "downloads", "size", 2, "cursor", "*"))
                .getString("nextCursor");
        assertThat(cursor).isNotBlank();

        badRequest(Map.of("tags", WALK, "sort", "likes", "size", 2, "cursor", cursor), "cursor");
        badRequest(Map.of("tags", WALK, "sort", "downloads", "cursor", "not-a-cursor"), "cursor");
        badRequest(Map.of("tags", WALK, "sort", "downloads", "cursor", cursor, "page", 2), "page");
        badRequest(Map.of("tags", WALK, "sort", "downloads", "cursor", withPointInTime(cursor, "bm9wZQ")), "cursor");
        // the same query with a different page size goes on
        assertThat(ids(search(Map.of("tags", WALK, "sort", "downloads", "size", 5, "cursor", cursor))))
                .hasSize(5);
    }

    // ---- suggest and similar ----

    @Test
    void suggestCompletesWordPrefixesOfTitlesAndNamesMostDownloadedFirst() {
        ListingEvents.Listing small =
                ListingEvents.newListing("Zephyrion Small", "Tiny.").withStats(10, 0, 0, 0, 0);
        ListingEvents.Listing large =
                ListingEvents.newListing("Zephyrion Large Vision", "Big.").withStats(100_000, 0, 0, 0, 0);
        ListingEvents.Listing named =
                ListingEvents.newListing("Unrelated Title", "By name.").withName("zephyrion-tiny");
        catalog.publish(small);
        catalog.publish(large);
        catalog.publish(named);

        await().atMost(PROJECTION)
                .untilAsserted(() -> assertThat(suggest("zeph")).hasSize(3));
        assertThat(suggest("zeph").getFirst()).isEqualTo(large.id());
        assertThat(suggest("Zephyrion vis")).containsExactly(large.id());
        assertThat(suggest("zephyrion-ti")).containsExactly(named.id());
        assertThat(suggest("zephyx")).isEmpty();
        given().queryParam("q", "zeph")
                .when()
                .get(PATH + "/suggest")
                .then()
                .statusCode(200)
                .body("items[0].title", org.hamcrest.Matchers.equalTo("Zephyrion Large Vision"));
    }

    @Test
    void similarListingsShareTextTaskOrBaseModelButNeverIncludeTheListing() {
        String m = "s" + UUID.randomUUID().toString().substring(0, 6);
        ListingEvents.Listing base = ListingEvents.newListing(
                        "Hummingbird Wingbeat Counter", "Counts hummingbird wingbeats in slow motion video.")
                .with("tags", List.of(m))
                .with("modality", "video")
                .with("task", "video-classification");
        ListingEvents.Listing derived = ListingEvents.newListing("Finetuned Counter", "A finetune.")
                .with("tags", List.of(m + "x"))
                .with("modality", "video")
                .with("task", "video-tracking")
                .with("baseModel", base.id());
        ListingEvents.Listing sameText = ListingEvents.newListing(
                        "Hummingbird Feeder Monitor", "Watches hummingbird feeders in video.")
                .with("tags", List.of(m + "y"))
                .with("modality", "video")
                .with("task", "object-detection");
        ListingEvents.Listing unrelated = ListingEvents.newListing(
                        "Invoice Parser", "Reads totals from scanned invoices.")
                .with("tags", List.of(m + "z"))
                .with("modality", "tabular")
                .with("task", "tabular-classification");
        Stream.of(base, derived, sameText, unrelated).forEach(catalog::publish);
        await().atMost(PROJECTION).until(() -> total(Map.of("tags", List.of(m, m + "x", m + "y", m + "z"))) == 4);

        List<String> similar = given().queryParam("size", 50)
                .when()
                .get(PATH + "/similar/" + base.id())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.id", String.class);

        assertThat(similar).contains(derived.id(), sameText.id()).doesNotContain(base.id(), unrelated.id());
        List<String> fromDerived = given().when()
                .get(PATH + "/similar/" + derived.id())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.id", String.class);
        assertThat(fromDerived).as("its base model").contains(base.id()).doesNotContain(derived.id());

        given().when()
                .get(PATH + "/similar/nobody/nothing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("https://modelmarket.org/problems/listing-not-found"));
    }

    // ---- helpers ----

    /** The cursor with its point in time id replaced: a tampered cursor for its own query. */
    private static String withPointInTime(String cursor, String pointInTime) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var token = (com.fasterxml.jackson.databind.node.ObjectNode)
                    mapper.readTree(java.util.Base64.getUrlDecoder().decode(cursor));
            token.put("p", pointInTime);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(mapper.writeValueAsBytes(token));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> suggest(String q) {
        return given().queryParam("q", q)
                .when()
                .get(PATH + "/suggest")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.id", String.class);
    }

    static JsonPath search(Map<String, ?> params) {
        return request(params).when().get(PATH).then().statusCode(200).extract().jsonPath();
    }

    private static void badRequest(Map<String, ?> params, String field) {
        request(params)
                .when()
                .get(PATH)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem(field));
    }

    private static RequestSpecification request(Map<String, ?> params) {
        RequestSpecification request = given();
        params.forEach((name, value) -> {
            if (value instanceof List<?> values) {
                request.queryParam(name, values.toArray());
            } else {
                request.queryParam(name, value);
            }
        });
        return request;
    }

    /** Hits of Elasticsearch's shard request cache on the listings index so far. */
    private static long requestCacheHits() {
        String host = ConfigProvider.getConfig()
                .getValue("quarkus.elasticsearch.hosts", String.class)
                .split(",")[0];
        return given().baseUri("http://" + host.substring(0, host.lastIndexOf(':')))
                .port(Integer.parseInt(host.substring(host.lastIndexOf(':') + 1)))
                .when()
                .get("/listings-read/_stats/request_cache")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("_all.total.request_cache.hit_count");
    }

    private static long total(Map<String, ?> params) {
        return search(params).getLong("total");
    }

    private static List<String> ids(JsonPath result) {
        return result.getList("items.listingId", String.class);
    }

    private static List<String> expected(Predicate<Fixture> predicate) {
        return FIXTURES.stream().filter(predicate).map(Fixture::listingId).toList();
    }

    private static Map<String, Long> counts(Predicate<Fixture> predicate, Function<Fixture, String> value) {
        return FIXTURES.stream().filter(predicate).collect(Collectors.groupingBy(value, Collectors.counting()));
    }

    private static Map<String, Long> facet(JsonPath result, String name) {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<Map<String, Object>> buckets = result.getList("facets." + name);
        for (Map<String, Object> bucket : buckets) {
            counts.put((String) bucket.get("value"), ((Number) bucket.get("count")).longValue());
        }
        return counts;
    }
}
