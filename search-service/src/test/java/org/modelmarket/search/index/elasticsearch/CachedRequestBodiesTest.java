package org.modelmarket.search.index.elasticsearch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;
import org.modelmarket.search.projection.CatalogListingsProducer;
import org.modelmarket.search.projection.ListingEvents;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A repeated search or suggestion is sent with the request body built the first time, and still answers from the
 * index as it is now: the cache holds requests, never answers. Against real Kafka and Elasticsearch.
 */
@QuarkusTest
class CachedRequestBodiesTest {

    private static final Duration PROJECTION = Duration.ofSeconds(30);

    private static CatalogListingsProducer catalog;

    @Inject
    ElasticsearchListingIndex index;

    @BeforeAll
    static void connect() {
        catalog = new CatalogListingsProducer();
    }

    @AfterAll
    static void disconnect() {
        catalog.close();
    }

    @BeforeEach
    void indexReady() {
        // startup creates the index in the background: a search before that is a 503 (the first run of this class
        // in a fresh stack met it), which SearchUnavailableTest covers
        index.ensureIndex().await().atMost(Duration.ofSeconds(60));
    }

    @Test
    void aRepeatedSearchReusesItsBodyAndStillSeesNewListings() {
        String word = "wombat" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(search(word).getLong("total")).isZero();
        byte[] body = index.keptSearchBody(pageOf(word, 0));
        assertThat(body).isNotNull();
        assertThat(new String(body, StandardCharsets.UTF_8)).contains(word);

        ListingEvents.Listing first = ListingEvents.newListing("Wombat " + word + " counter", "Counts wombats.")
                .with("modality", "image");
        catalog.publish(first);
        await().atMost(PROJECTION).until(() -> search(word).getLong("total") == 1);
        assertThat(search(word).getList("items.listingId", String.class)).containsExactly(first.listingId());

        ListingEvents.Listing second = ListingEvents.newListing("Wombat " + word + " tracker", "Tracks wombats.")
                .with("modality", "image");
        catalog.publish(second);
        await().atMost(PROJECTION).until(() -> search(word).getLong("total") == 2);
        JsonPath both = search(word);
        assertThat(both.getList("items.listingId", String.class))
                .containsExactlyInAnyOrder(first.listingId(), second.listingId());
        assertThat(both.getList("facets.modality.count", Long.class)).containsExactly(2L);
        // every one of those searches went out with the very bytes built first
        assertThat(index.keptSearchBody(pageOf(word, 0))).isSameAs(body);

        // another page of the same query is another body
        assertThat(index.keptSearchBody(pageOf(word, 20))).isNull();
        given().queryParam("q", word)
                .queryParam("page", 1)
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200);
        assertThat(index.keptSearchBody(pageOf(word, 20))).isNotNull().isNotEqualTo(body);
    }

    @Test
    void aRepeatedSuggestionReusesItsBodyAndStillSeesNewListings() {
        String word = "numbat" + UUID.randomUUID().toString().substring(0, 6);
        String prefix = word.substring(0, 9);
        assertThat(suggest(prefix).getList("items")).isEmpty();
        byte[] body = index.keptSuggestBody(prefix, 8);
        assertThat(body).isNotNull();

        ListingEvents.Listing listing = ListingEvents.newListing("Numbat " + word, "Finds termites.");
        catalog.publish(listing);
        await().atMost(PROJECTION).until(() -> suggest(prefix).getList("items").size() == 1);
        assertThat(suggest(prefix).getString("items[0].listingId")).isEqualTo(listing.listingId());
        assertThat(index.keptSuggestBody(prefix, 8)).isSameAs(body);
    }

    /** The index query of {@code GET /api/v1/search?q=text} at hit offset {@code from} (20 per page, facets). */
    private static ListingQuery pageOf(String text, int from) {
        return new ListingQuery(
                Optional.of(text), ListingFilters.NONE, ListingSort.RELEVANCE, from, 20, Optional.empty(), true);
    }

    private static JsonPath search(String q) {
        return given().queryParam("q", q)
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath suggest(String q) {
        return given().queryParam("q", q)
                .when()
                .get("/api/v1/search/suggest")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
