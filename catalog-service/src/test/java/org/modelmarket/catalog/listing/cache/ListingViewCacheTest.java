package org.modelmarket.catalog.listing.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.Catalog.Who;
import org.modelmarket.catalog.KafkaTopics;
import org.modelmarket.catalog.listing.ListingCriteria;
import org.modelmarket.catalog.listing.repository.ListingRepository;
import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.platform.security.Caller;

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

    @Inject
    ListingService listingService;

    /** The application's own ObjectMapper, the one its responses are written with. */
    @Inject
    ObjectMapper appJson;

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
        Fixture fixture = publishedWithAHiddenSibling();

        // the page every caller but an admin gets: the one public listing, the same JSON as the page mapped from the
        // database with that caller's rights (the owner is shown the owners, the others not)
        for (Who who : java.util.List.of(Who.ANONYMOUS, Who.BUYER, Who.OWNER, Who.OTHER_VENDOR)) {
            JsonNode page = JSON.readTree(fixture.as(who)
                    .queryParam("namespace", fixture.namespace())
                    .get("/api/v1/listings")
                    .then()
                    .statusCode(200)
                    .contentType(ContentType.JSON)
                    .extract()
                    .asByteArray());
            JsonNode fromDatabase = JSON.readTree(appJson.writeValueAsBytes(
                    VertxContextSupport.subscribeAndAwait(() -> listingService.list(
                            new ListingCriteria(fixture.namespace(), null, null, null, null, null),
                            0,
                            20,
                            caller(fixture, who)))));
            assertThat(fromDatabase.path("total").asInt()).isEqualTo(1);
            assertThat(fromDatabase.path("items").path(0).path("modelCard").asText())
                    .isNotEmpty();
            assertThat(page).as("page of %s", who).isEqualTo(fromDatabase);
            assertThat(page.path("items").path(0).has("owners"))
                    .as("owners for %s", who)
                    .isEqualTo(who == Who.OWNER);
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

    @Test
    void aVendorsPageIsMadeOfTheCachedViewsWithTheSameJsonAndItsMembersSeeTheRest() throws Throwable {
        Fixture fixture = publishedWithAHiddenSibling();
        String vendorPage = "/api/v1/vendors/" + fixture.namespace() + "/listings";
        JsonNode publicView = JSON.readTree(
                given().get(fixture.path()).then().statusCode(200).extract().asByteArray());

        // every kind of caller gets the same JSON as the page mapped from the database with that caller's rights; the
        // public listing alone for outsiders (without owners: its point read's view), both for members and admins
        for (Who who : Who.values()) {
            JsonNode page = JSON.readTree(fixture.as(who)
                    .get(vendorPage)
                    .then()
                    .statusCode(200)
                    .contentType(ContentType.JSON)
                    .extract()
                    .asByteArray());
            JsonNode fromDatabase = JSON.readTree(appJson.writeValueAsBytes(
                    VertxContextSupport.subscribeAndAwait(() -> listingService.listForVendor(
                            fixture.namespace(),
                            new ListingCriteria(fixture.namespace(), null, null, null, null, null),
                            0,
                            20,
                            caller(fixture, who)))));
            assertThat(page).as("vendor page of %s", who).isEqualTo(fromDatabase);
            boolean insider = who == Who.OWNER || who == Who.ADMIN;
            assertThat(page.path("total").asInt()).as("total for %s", who).isEqualTo(insider ? 2 : 1);
            if (insider) {
                assertThat(page.findValues("owners"))
                        .hasSize(2)
                        .allSatisfy(owners -> assertThat(owners.get(0).asText()).isEqualTo(fixture.ownerSubject()));
            } else {
                assertThat(page.path("items").get(0)).isEqualTo(publicView);
                assertThat(page.findValues("owners")).isEmpty();
            }
        }

        // filters and paging as on the database page; past the last page: the total, no items
        fixture.as(Who.BUYER)
                .queryParam("visibility", "private")
                .get(vendorPage)
                .then()
                .statusCode(200)
                .body("total", equalTo(0))
                .body("items.size()", equalTo(0));
        given().queryParam("page", 3)
                .get(vendorPage)
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("page", equalTo(3))
                .body("items.size()", equalTo(0));

        // the page shows the cached view: changed behind the service's back, it still shows the cached title (the
        // edit's own state event may drop the entry after a read: wait until one entry has stayed a poll interval)
        java.util.concurrent.atomic.AtomicReference<ListingViewCache.Entry> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    ListingViewCache.Entry entry = cached(fixture);
                    ListingViewCache.Entry before = seen.getAndSet(entry);
                    if (entry == null) {
                        given().get(vendorPage).then().statusCode(200);
                    }
                    assertThat(entry).isNotNull().isSameAs(before);
                });
        String title = cached(fixture).view().title();
        retitleInDatabase(fixture, "Changed in the database only");
        given().get(vendorPage).then().statusCode(200).body("items[0].title", equalTo(title));
        fixture.as(Who.OTHER_VENDOR).get(vendorPage).then().statusCode(200).body("items[0].title", equalTo(title));

        // an absent vendor is a 404 for anyone, bad paging a 400, a bad token a 401, all problems
        for (Who who : java.util.List.of(Who.ANONYMOUS, Who.BUYER, Who.ADMIN)) {
            fixture.as(who)
                    .get("/api/v1/vendors/no-such-vendor-" + java.util.UUID.randomUUID() + "/listings")
                    .then()
                    .statusCode(404)
                    .contentType(Catalog.PROBLEM)
                    .body("type", equalTo(Catalog.PROBLEMS + "vendor-not-found"));
        }
        given().queryParam("size", 0).get(vendorPage).then().statusCode(400).contentType(Catalog.PROBLEM);
        given().queryParam("status", "bogus")
                .get(vendorPage)
                .then()
                .statusCode(400)
                .contentType(Catalog.PROBLEM);
        given().header("Authorization", "Bearer not-a-token")
                .get(vendorPage)
                .then()
                .statusCode(401)
                .contentType(Catalog.PROBLEM);
    }

    @Test
    void ownersAreShownToTheVendorsMembersAndAdminsOnlyEvenFromTheOneCachedView() {
        Fixture fixture = Catalog.inStatus("published");
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
        // the member reads first, then everyone else: the cached entry serves both without leaking the owners
        for (Who who : java.util.List.of(Who.OWNER, Who.ADMIN, Who.ANONYMOUS, Who.BUYER, Who.OTHER_VENDOR)) {
            boolean insider = who == Who.OWNER || who == Who.ADMIN;
            for (String path : java.util.List.of(
                    fixture.path(),
                    "/api/v1/listings/by-id/" + fixture.listingId(),
                    "/api/v1/listings?namespace=" + fixture.namespace())) {
                String read = fixture.as(who)
                        .get(path)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
                if (insider) {
                    assertThat(read).as("%s reads %s", who, path).contains("\"owners\":[\"" + fixture.ownerSubject());
                } else {
                    assertThat(read)
                            .as("%s reads %s", who, path)
                            .doesNotContain("owners")
                            .doesNotContain(fixture.ownerSubject());
                }
            }
        }
        // two representations, two ETags, the same edit version
        String memberTag = fixture.as(Who.OWNER).get(fixture.path()).header("ETag");
        String publicTag = given().get(fixture.path()).header("ETag");
        assertThat(memberTag).isNotEqualTo(publicTag);
        assertThat(memberTag.substring(0, memberTag.indexOf('-')))
                .isEqualTo(publicTag.substring(0, publicTag.indexOf('-')));
        fixture.as(Who.OWNER)
                .header("If-None-Match", memberTag)
                .get(fixture.path())
                .then()
                .statusCode(304);
        given().header("If-None-Match", memberTag).get(fixture.path()).then().statusCode(200);
    }

    @Test
    void aStatsChangeGivesANewETagSoAConditionalReadIsNeverStale() {
        Fixture fixture = Catalog.inStatus("published");
        io.restassured.response.Response read = given().get(fixture.path());
        String before = read.header("ETag");
        int version = read.path("version");
        assertThat(before).startsWith("\"" + version + "-");
        given().header("If-None-Match", before).get(fixture.path()).then().statusCode(304);

        // a like changes the stats, not the edit version: the conditional read gets the new stats
        given().header("Authorization", Catalog.BUYER)
                .put(fixture.path() + "/likes/me")
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> given().header("If-None-Match", before)
                        .get(fixture.path())
                        .then()
                        .statusCode(200)
                        .body("stats.likes", equalTo(1))
                        .body("version", equalTo(version)));
        String after = given().get(fixture.path()).header("ETag");
        assertThat(after).isNotEqualTo(before).startsWith("\"" + version + "-");

        // the ETag read before the like still names the edit version an edit may change: no conflict from a like
        Map<String, Object> body = new HashMap<>(Listings.body(fixture.namespace(), fixture.name()));
        body.put("title", "Edited after a like");
        given().header("Authorization", fixture.owner())
                .header("If-Match", before)
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(200)
                .header("ETag", org.hamcrest.Matchers.startsWith("\"" + (version + 1) + "-"));
        given().header("Authorization", fixture.owner())
                .header("If-Match", after)
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(412)
                .contentType(Catalog.PROBLEM);
    }

    /**
     * A published listing with a full model card, and a second listing of its vendor that only the vendor's members
     * may see: on no one's page but the members' and the admins'.
     */
    private static Fixture publishedWithAHiddenSibling() {
        Fixture fixture = Catalog.inStatus("published");
        given().header("Authorization", fixture.owner())
                .header("If-Match", Catalog.etag(fixture))
                .contentType(ContentType.JSON)
                .body(Catalog.fullBody(fixture.namespace(), fixture.name()))
                .put(fixture.path())
                .then()
                .statusCode(200);
        Map<String, Object> hidden = new HashMap<>(Listings.body(fixture.namespace(), "hidden"));
        hidden.put("visibility", "private");
        given().header("Authorization", fixture.owner())
                .contentType(ContentType.JSON)
                .body(hidden)
                .post("/api/v1/listings")
                .then()
                .statusCode(201);
        return fixture;
    }

    private static Caller caller(Fixture fixture, Who who) {
        return switch (who) {
            case ANONYMOUS -> Caller.ANONYMOUS;
            case BUYER -> new Caller("buyer-1", Set.of("buyer"));
            case OWNER -> new Caller(fixture.ownerSubject(), Set.of("vendor"));
            case OTHER_VENDOR -> new Caller("other-vendor", Set.of("vendor"));
            case ADMIN -> new Caller("root", Set.of("admin"));
        };
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
