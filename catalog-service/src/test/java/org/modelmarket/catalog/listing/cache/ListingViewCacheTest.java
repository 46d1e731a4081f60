package org.modelmarket.catalog.listing.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.Catalog.Who;
import org.modelmarket.catalog.KafkaTopics;
import org.modelmarket.catalog.listing.repository.ListingRepository;
import org.modelmarket.catalog.listing.rest.Listings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;

/**
 * The listing view cache on the real engines: public listings are served from it, the same view for every caller;
 * a write through the service is read at once; the listing's own event on catalog.listings drops a stale view; what
 * only the vendor may see is never shared.
 */
@QuarkusTest
class ListingViewCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaTopics kafka;

    @Inject
    @CacheName(ListingViewCache.NAME)
    Cache cache;

    @Inject
    ListingRepository listings;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTopics(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aPublicListingIsServedFromTheCacheToEveryCaller() throws Throwable {
        Fixture fixture = Catalog.inStatus("published");
        String title = title(fixture, Who.ANONYMOUS);
        // The publish's own state event can reach this instance's cache consumer after the read above and drop the
        // entry: read again until an entry has stayed for a whole poll interval, so no event of the publish is left.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    ListingViewCache.Entry entry = cached(fixture);
                    if (entry == null) {
                        title(fixture, Who.ANONYMOUS);
                    }
                    assertThat(entry)
                            .isNotNull()
                            .extracting(ListingViewCache.Entry::view)
                            .isNotNull();
                });

        // changed behind the service's back (no event): the cached view is what callers keep getting
        retitleInDatabase(fixture, "Changed in the database only");
        assertThat(title(fixture, Who.ANONYMOUS)).isEqualTo(title);
        assertThat(title(fixture, Who.BUYER)).isEqualTo(title);
        assertThat(title(fixture, Who.OWNER)).isEqualTo(title);

        // refused writes change nothing and evict nothing
        fixture.as(Who.ANONYMOUS)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "x"))
                .put(fixture.path())
                .then()
                .statusCode(401);
        fixture.as(Who.OTHER_VENDOR).post(fixture.path() + "/deprecate").then().statusCode(403);
        assertThat(title(fixture, Who.ANONYMOUS)).isEqualTo(title);
    }

    @Test
    void aCachedViewIsServedAsTheSameJsonAndETagAsADatabaseRead() throws Exception {
        Fixture fixture = Catalog.inStatus("published");
        // every optional field set (model card, evaluation results, datasets...), so the whole view is compared
        given().header("Authorization", fixture.owner())
                .header("If-Match", Catalog.etag(fixture))
                .contentType(ContentType.JSON)
                .body(Catalog.fullBody(fixture.namespace(), fixture.name()))
                .put(fixture.path())
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    ListingViewCache.Entry entry = cached(fixture);
                    if (entry == null) {
                        title(fixture, Who.ANONYMOUS);
                    }
                    assertThat(entry)
                            .isNotNull()
                            .extracting(ListingViewCache.Entry::json)
                            .isNotNull();
                });
        byte[] cachedBytes = cached(fixture).json();

        // anonymous (no identity resolved) and signed in: the cached bytes; by id: mapped from the database per request
        io.restassured.response.Response anonymous = given().get(fixture.path());
        io.restassured.response.Response buyer =
                given().header("Authorization", Catalog.BUYER).get(fixture.path());
        io.restassured.response.Response fromDatabase = given().get("/api/v1/listings/by-id/" + fixture.listingId());
        for (io.restassured.response.Response response : java.util.List.of(anonymous, buyer, fromDatabase)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(response.header("ETag")).isEqualTo(fromDatabase.header("ETag"));
        }
        JsonNode expected = JSON.readTree(fromDatabase.asByteArray());
        assertThat(expected.path("modelCard").asText()).isNotEmpty();
        assertThat(JSON.readTree(anonymous.asByteArray())).isEqualTo(expected);
        assertThat(JSON.readTree(buyer.asByteArray())).isEqualTo(expected);
        assertThat(JSON.readTree(cachedBytes)).isEqualTo(expected);

        // conditional reads of the cached view; a bad token is refused even though the view needs no identity
        given().header("If-None-Match", anonymous.header("ETag"))
                .get(fixture.path())
                .then()
                .statusCode(304)
                .header("ETag", equalTo(anonymous.header("ETag")));
        given().header("Authorization", "Bearer not-a-token")
                .get(fixture.path())
                .then()
                .statusCode(401)
                .contentType(Catalog.PROBLEM);
    }

    @Test
    void theListingsOwnEventDropsItsCachedView() throws Throwable {
        Fixture fixture = Catalog.inStatus("published");
        title(fixture, Who.ANONYMOUS);
        retitleInDatabase(fixture, "Renamed, then announced");
        String event = "{\"specversion\":\"1.0\",\"type\":\"org.modelmarket.catalog.ListingChanged\",\"data\":{"
                + "\"listingId\":\"" + fixture.listingId() + "\",\"namespace\":\"" + fixture.namespace()
                + "\",\"name\":\"" + fixture.name() + "\"}}";
        // the consumer reads from its start: send again until it has joined and seen one
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    kafka.send("catalog.listings", fixture.listingId(), event);
                    assertThat(title(fixture, Who.ANONYMOUS)).isEqualTo("Renamed, then announced");
                });
    }

    @Test
    void aWriteThroughTheServiceIsReadAtOnce() {
        Fixture fixture = Catalog.inStatus("published");
        title(fixture, Who.ANONYMOUS);
        Map<String, Object> body = new HashMap<>(Listings.body(fixture.namespace(), fixture.name()));
        body.put("title", "Edited by its vendor");
        given().header("Authorization", fixture.owner())
                .header("If-Match", Catalog.etag(fixture))
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(200);
        assertThat(title(fixture, Who.ANONYMOUS)).isEqualTo("Edited by its vendor");

        body.put("visibility", "private");
        given().header("Authorization", fixture.owner())
                .header("If-Match", Catalog.etag(fixture))
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(200);
        fixture.as(Who.ANONYMOUS).get(fixture.path()).then().statusCode(404);
        fixture.as(Who.BUYER).get(fixture.path()).then().statusCode(404);
        fixture.as(Who.OWNER).get(fixture.path()).then().statusCode(200).body("visibility", equalTo("private"));
    }

    @Test
    void aListingOnlyItsVendorMaySeeIsNeverShared() {
        Fixture fixture = Catalog.draft();
        fixture.as(Who.OWNER).get(fixture.path()).then().statusCode(200).body("status", equalTo("draft"));
        fixture.as(Who.ANONYMOUS)
                .get(fixture.path())
                .then()
                .statusCode(404)
                .contentType(Catalog.PROBLEM)
                .body("type", equalTo(Catalog.PROBLEMS + "listing-not-found"));
        fixture.as(Who.OTHER_VENDOR).get(fixture.path()).then().statusCode(404);
        assertThat(cached(fixture)).isEqualTo(ListingViewCache.PER_CALLER);
        fixture.as(Who.ADMIN).get(fixture.path()).then().statusCode(200);
    }

    @Test
    void aPageOfListingsIsMadeOfTheCachedViewsWithTheSameJson() throws Throwable {
        Fixture fixture = Catalog.inStatus("published");
        given().header("Authorization", fixture.owner())
                .header("If-Match", Catalog.etag(fixture))
                .contentType(ContentType.JSON)
                .body(Catalog.fullBody(fixture.namespace(), fixture.name()))
                .put(fixture.path())
                .then()
                .statusCode(200);
        // a second listing of the vendor that only its members may see: on no one's page but the admins'
        Map<String, Object> hidden = new HashMap<>(Listings.body(fixture.namespace(), "hidden"));
        hidden.put("visibility", "private");
        given().header("Authorization", fixture.owner())
                .contentType(ContentType.JSON)
                .body(hidden)
                .post("/api/v1/listings")
                .then()
                .statusCode(201);

        // the page every caller but an admin gets: the one public listing, the same JSON as mapped from the database
        JsonNode fromDatabase = JSON.readTree(given().header("Authorization", Catalog.ADMIN)
                .queryParam("namespace", fixture.namespace())
                .queryParam("status", "published")
                .get("/api/v1/listings")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .asByteArray());
        assertThat(fromDatabase.path("total").asInt()).isEqualTo(1);
        assertThat(fromDatabase.path("items").path(0).path("modelCard").asText())
                .isNotEmpty();
        for (Who who : java.util.List.of(Who.ANONYMOUS, Who.BUYER, Who.OWNER, Who.OTHER_VENDOR)) {
            JsonNode page = JSON.readTree(fixture.as(who)
                    .queryParam("namespace", fixture.namespace())
                    .get("/api/v1/listings")
                    .then()
                    .statusCode(200)
                    .contentType(ContentType.JSON)
                    .extract()
                    .asByteArray());
            assertThat(page).as("page of %s", who).isEqualTo(fromDatabase);
        }
        given().header("Authorization", Catalog.ADMIN)
                .queryParam("namespace", fixture.namespace())
                .get("/api/v1/listings")
                .then()
                .statusCode(200)
                .body("total", equalTo(2));
        // past the last page: the total, no items
        given().queryParam("namespace", fixture.namespace())
                .queryParam("page", 3)
                .get("/api/v1/listings")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("page", equalTo(3))
                .body("items.size()", equalTo(0));

        // the page loaded the view into the cache (a point read finds it there), and lists the cached view: changed
        // behind the service's back, the page still shows the cached title. The edit's own state event may reach the
        // cache after a page read and drop the entry: wait until one entry has stayed for a whole poll interval.
        java.util.concurrent.atomic.AtomicReference<ListingViewCache.Entry> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    ListingViewCache.Entry entry = cached(fixture);
                    ListingViewCache.Entry before = seen.getAndSet(entry);
                    if (entry == null) {
                        listedTitle(fixture);
                    }
                    assertThat(entry).isNotNull().isSameAs(before);
                    assertThat(entry.json()).isNotNull();
                });
        String title = cached(fixture).view().title();
        retitleInDatabase(fixture, "Changed in the database only");
        assertThat(listedTitle(fixture)).isEqualTo(title);
        // a bad token is refused, even though the page needs no identity
        given().header("Authorization", "Bearer not-a-token")
                .get("/api/v1/listings")
                .then()
                .statusCode(401)
                .contentType(Catalog.PROBLEM);
    }

    private static String listedTitle(Fixture fixture) {
        return given().queryParam("namespace", fixture.namespace())
                .get("/api/v1/listings")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .extract()
                .path("items[0].title");
    }

    private static String title(Fixture fixture, Who who) {
        return fixture.as(who)
                .get(fixture.path())
                .then()
                .statusCode(200)
                .extract()
                .path("title");
    }

    private ListingViewCache.Entry cached(Fixture fixture) {
        java.util.concurrent.CompletableFuture<ListingViewCache.Entry> future =
                cache.as(CaffeineCache.class).getIfPresent(fixture.id());
        return future == null ? null : future.join();
    }

    private void retitleInDatabase(Fixture fixture, String title) throws Throwable {
        int updated = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> listings.update(
                "title = ?1 where namespace = ?2 and name = ?3", title, fixture.namespace(), fixture.name())));
        assertThat(updated).isEqualTo(1);
    }
}
