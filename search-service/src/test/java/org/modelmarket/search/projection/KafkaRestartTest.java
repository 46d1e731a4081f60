package org.modelmarket.search.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.modelmarket.search.SearchClient;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;

import io.quarkus.test.junit.QuarkusTest;

/** After a restart of the real broker, the projection resumes without a restart of the service. */
@QuarkusTest
class KafkaRestartTest {

    @InjectLocalStack
    LocalStack stack;

    @Test
    void theConsumerResumesAfterTheBrokerRestarts() {
        ListingEvents.Listing before = ListingEvents.newListing("Dune Migration Tracker", "Tracks dunes.");
        try (CatalogListingsProducer catalog = new CatalogListingsProducer()) {
            catalog.publish(before);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(before.marker())).contains(before.listingId()));

        stack.kafka().restart();

        ListingEvents.Listing after = ListingEvents.newListing("Dune Erosion Estimator", "Estimates erosion.");
        try (CatalogListingsProducer catalog = new CatalogListingsProducer()) {
            catalog.publish(after);
        }
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(after.marker())).contains(after.listingId()));
    }
}
