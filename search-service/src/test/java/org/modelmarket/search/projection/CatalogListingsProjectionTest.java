package org.modelmarket.search.projection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.search.SearchClient;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** The catalog.listings projection end to end: real Kafka in, real Elasticsearch behind GET /api/v1/search. */
@QuarkusTest
class CatalogListingsProjectionTest {

    private static final Duration PROJECTION = Duration.ofSeconds(30);

    private static CatalogListingsProducer catalog;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void connect() {
        catalog = new CatalogListingsProducer();
    }

    @AfterAll
    static void disconnect() {
        catalog.close();
    }

    @Test
    void aPublishedListingIsFoundByAStemmedWordAndByATypo() {
        ListingEvents.Listing listing = ListingEvents.newListing(
                "Pedestrian Detection Transformer",
                "Detects pedestrians in street scenes, trained on dashcam footage.");

        catalog.publish(listing);

        await().atMost(PROJECTION)
                .untilAsserted(() -> assertThat(SearchClient.listingIds("detecting pedestrian"))
                        .contains(listing.listingId()));
        assertThat(SearchClient.listingIds("transfromer"))
                .as("one transposed letter")
                .contains(listing.listingId());
        assertThat(SearchClient.listingIds(listing.marker())).as("exact tag").containsExactly(listing.listingId());

        given().queryParam("q", listing.marker())
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items[0].id", equalTo(listing.id()))
                .body("items[0].listingId", equalTo(listing.listingId()))
                .body("items[0].title", equalTo("Pedestrian Detection Transformer"))
                .body("items[0].modality", equalTo("image"))
                .body("items[0].task", equalTo("image-classification"))
                .body("items[0].license", equalTo("apache-2.0"))
                .body("items[0].priceType", equalTo("free"))
                .body("items[0].tags", hasItem(listing.marker()));
    }

    @Test
    void duplicatesAndOlderVersionsDoNotChangeTheDocument() {
        ListingEvents.Listing v2 = ListingEvents.newListing("Lighthouse Segmenter", "Segments coastlines.")
                .atVersion(2);
        catalog.publish(v2);
        await().atMost(PROJECTION)
                .untilAsserted(() -> assertThat(SearchClient.titleOf(v2.marker(), v2.listingId()))
                        .isEqualTo("Lighthouse Segmenter"));
        double staleBefore = stale();

        catalog.publish(v2.atVersion(1).withTitle("Outdated Title"));
        catalog.publish(v2.withTitle("Redelivered Title"));

        await().atMost(PROJECTION).until(() -> stale() >= staleBefore + 2);
        assertThat(SearchClient.titleOf(v2.marker(), v2.listingId())).isEqualTo("Lighthouse Segmenter");

        catalog.publish(v2.atVersion(3).withTitle("Lighthouse Segmenter XL"));
        await().atMost(PROJECTION)
                .untilAsserted(() -> assertThat(SearchClient.titleOf(v2.marker(), v2.listingId()))
                        .isEqualTo("Lighthouse Segmenter XL"));
    }

    @Test
    void statsUpdatesArriveOutOfOrderAndTwiceYetTheNewestWins() {
        ListingEvents.Listing listing = ListingEvents.newListing("Kelp Forest Mapper", "Maps kelp.");
        catalog.publish(listing.atVersion(3).withStats(300, 30, 3, 4.5, 2));
        await().atMost(PROJECTION)
                .untilAsserted(() -> assertThat(downloads(listing)).isEqualTo(300));
        double staleBefore = stale();

        catalog.publish(listing.atVersion(2).withStats(200, 20, 2, 4.0, 1)); // late
        catalog.publish(listing.atVersion(3).withStats(300, 30, 3, 4.5, 2)); // duplicate
        await().atMost(PROJECTION).until(() -> stale() >= staleBefore + 2);
        assertThat(downloads(listing)).isEqualTo(300);

        catalog.publish(listing.atVersion(4).withStats(400, 40, 4, 4.6, 3));
        await().atMost(PROJECTION)
                .untilAsserted(() -> assertThat(downloads(listing)).isEqualTo(400));
        given().queryParam("tags", listing.marker())
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .body("items[0].stats.likes", equalTo(4))
                .body("items[0].stats.ratingCount", equalTo(3));
    }

    private static long downloads(ListingEvents.Listing listing) {
        return given()
                .queryParam("tags", listing.marker())
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.stats.downloads", Long.class)
                .stream()
                .findFirst()
                .orElse(-1L);
    }

    @Test
    void aListingMadePrivateDisappearsAndAnOlderPublicVersionDoesNotBringItBack() {
        ListingEvents.Listing listing = ListingEvents.newListing("Harbor Crane Tracker", "Tracks cranes in ports.");
        catalog.publish(listing);
        await().atMost(PROJECTION)
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(listing.marker())).contains(listing.listingId()));

        catalog.publish(listing.atVersion(2).withVisibility("private"));
        await().atMost(PROJECTION)
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(listing.marker())).doesNotContain(listing.listingId()));

        double staleBefore = stale();
        catalog.publish(listing);
        await().atMost(PROJECTION).until(() -> stale() >= staleBefore + 1);
        assertThat(SearchClient.listingIds(listing.marker())).doesNotContain(listing.listingId());
    }

    @Test
    void aTombstoneRemovesTheListing() {
        ListingEvents.Listing listing = ListingEvents.newListing("Orchard Fruit Counter", "Counts apples on trees.");
        catalog.publish(listing);
        await().atMost(PROJECTION)
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(listing.marker())).contains(listing.listingId()));

        catalog.tombstone(listing.listingId());

        await().atMost(PROJECTION)
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(listing.marker())).doesNotContain(listing.listingId()));
    }

    @Test
    void withoutAQueryTheMostRecentlyUpdatedListingsComeFirst() {
        ListingEvents.Listing older = ListingEvents.newListing("Glacier Melt Forecaster", "Forecasts melt.")
                .updatedAt(Instant.parse("2099-01-01T00:00:00Z"));
        ListingEvents.Listing newer = ListingEvents.newListing("Glacier Calving Detector", "Detects calving.")
                .updatedAt(Instant.parse("2099-06-01T00:00:00Z"));
        catalog.publish(older);
        catalog.publish(newer);

        await().atMost(PROJECTION)
                .untilAsserted(
                        () -> assertThat(SearchClient.listingIds("")).startsWith(newer.listingId(), older.listingId()));
    }

    private double stale() {
        return metrics.counter(CatalogListingsConsumer.METRIC, "outcome", "stale")
                .count();
    }
}
