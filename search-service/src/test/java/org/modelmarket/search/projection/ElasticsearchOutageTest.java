package org.modelmarket.search.projection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.modelmarket.search.SearchClient;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Stops the real Elasticsearch node under the running service: searches answer 503 at once, and an event published
 * meanwhile is not skipped but indexed once the node is back (the consumer retries instead of moving on).
 */
@QuarkusTest
class ElasticsearchOutageTest {

    @InjectLocalStack
    LocalStack stack;

    @Test
    void anEventPublishedWhileElasticsearchIsDownIsIndexedWhenItReturns() {
        ListingEvents.Listing listing =
                ListingEvents.newListing("Volcano Ash Plume Estimator", "Estimates ash plumes.");
        stack.elasticsearch().close();
        try (CatalogListingsProducer catalog = new CatalogListingsProducer()) {
            given().queryParam("q", "volcano")
                    .when()
                    .get("/api/v1/search")
                    .then()
                    .statusCode(503)
                    .time(lessThan(3L), TimeUnit.SECONDS)
                    .contentType("application/problem+json")
                    .body("status", equalTo(503));

            catalog.publish(listing);
            // let the consumer fail and retry a few times against the stopped node
            await().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> true);
        } finally {
            stack.elasticsearch().start();
        }

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(listing.marker())).contains(listing.listingId()));
    }
}
