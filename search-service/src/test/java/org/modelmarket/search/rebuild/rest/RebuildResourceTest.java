package org.modelmarket.search.rebuild.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.search.projection.CatalogListingsProducer;
import org.modelmarket.search.projection.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

/**
 * POST /api/v1/search/admin/rebuild: admins only; fills a fresh index from catalog.listings and swaps the aliases while
 * searches keep answering, picks up what was published meanwhile, and deletes the old index.
 */
@QuarkusTest
class RebuildResourceTest {

    private static final String PATH = "/api/v1/search/admin/rebuild";
    private static final Duration PROJECTION = Duration.ofSeconds(30);

    @Inject
    ElasticsearchClient elasticsearch;

    @Test
    void onlyAdminsMayRebuild() {
        given().when()
                .post(PATH)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/unauthorized"));
        given().header("Authorization", TestTokens.bearer("bob"))
                .when()
                .post(PATH)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/forbidden"));
        given().header("Authorization", TestTokens.bearer("alice", "vendor"))
                .when()
                .get(PATH)
                .then()
                .statusCode(403);
        given().when().get(PATH).then().statusCode(401);
    }

    @Test
    void aRebuildSwapsTheAliasesWhileSearchesKeepWorking() throws Exception {
        String marker = "r" + UUID.randomUUID().toString().substring(0, 8);
        List<ListingEvents.Listing> listings = new ArrayList<>();
        try (CatalogListingsProducer catalog = new CatalogListingsProducer()) {
            for (int i = 0; i < 20; i++) {
                ListingEvents.Listing listing = ListingEvents.newListing("Rebuilt " + i, "Rebuild fixture")
                        .withMarker(marker);
                listings.add(listing);
                catalog.publish(listing);
            }
            await().atMost(PROJECTION).until(() -> total(marker) == listings.size());
            String before = aliasTarget("listings-read");

            // searches hammer the read alias during the whole rebuild; every one must answer 200 with all 20
            AtomicBoolean searching = new AtomicBoolean(true);
            AtomicInteger searches = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Thread searcher = Thread.ofPlatform().start(() -> {
                while (searching.get()) {
                    var response = given().queryParam("tags", marker).when().get("/api/v1/search");
                    searches.incrementAndGet();
                    if (response.statusCode() != 200 || response.jsonPath().getLong("total") != listings.size()) {
                        failures.add(response.statusCode() + " " + response.asString());
                    }
                }
            });

            JsonPath started = given().header("Authorization", TestTokens.bearer("root", "admin"))
                    .when()
                    .post(PATH)
                    .then()
                    .statusCode(202)
                    .header("Location", org.hamcrest.Matchers.endsWith(PATH))
                    .body("state", equalTo("RUNNING"))
                    .extract()
                    .jsonPath();
            String target = started.getString("targetIndex");
            assertThat(target).startsWith("listings-v4-");
            given().header("Authorization", TestTokens.bearer("root", "admin"))
                    .when()
                    .post(PATH)
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json");

            // published while the rebuild runs: reaches the new index (live projection or the tail replay)
            ListingEvents.Listing renamed = listings.get(3).atVersion(2).withTitle("Rebuilt and renamed");
            ListingEvents.Listing late = ListingEvents.newListing("Rebuild latecomer", "Published during the rebuild");
            catalog.publish(renamed);
            catalog.publish(late);

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> given().header("Authorization", TestTokens.bearer("root", "admin"))
                            .when()
                            .get(PATH)
                            .then()
                            .statusCode(200)
                            .body("state", equalTo("COMPLETED")));
            searching.set(false);
            searcher.join();

            assertThat(failures).isEmpty();
            assertThat(searches.get()).isGreaterThan(0);
            assertThat(aliasTarget("listings-read")).isEqualTo(target);
            assertThat(aliasTarget("listings-write")).isEqualTo(target);
            assertThat(elasticsearch.indices().exists(e -> e.index(before)).value())
                    .as("old index deleted")
                    .isFalse();
            await().atMost(PROJECTION).untilAsserted(() -> {
                assertThat(ids(late.marker())).containsExactly(late.listingId());
                assertThat(given().queryParam("tags", marker)
                                .queryParam("q", "renamed")
                                .when()
                                .get("/api/v1/search")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("items.listingId", String.class))
                        .containsExactly(renamed.listingId());
            });

            // the live projection writes into the new index through the write alias
            ListingEvents.Listing after = ListingEvents.newListing("Post rebuild", "After the swap");
            catalog.publish(after);
            await().atMost(PROJECTION)
                    .untilAsserted(() -> assertThat(ids(after.marker())).containsExactly(after.listingId()));
        }
    }

    private String aliasTarget(String alias) throws Exception {
        Map<String, ?> aliases =
                elasticsearch.indices().getAlias(g -> g.name(alias)).aliases();
        assertThat(aliases).hasSize(1);
        return aliases.keySet().iterator().next();
    }

    private static long total(String marker) {
        return given().queryParam("tags", marker)
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
    }

    private static List<String> ids(String marker) {
        return given().queryParam("tags", marker)
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.listingId", String.class);
    }
}
