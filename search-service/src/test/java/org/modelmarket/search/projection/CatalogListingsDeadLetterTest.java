package org.modelmarket.search.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.search.SearchClient;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The one failure policy on the real broker: a poison record goes to {@code catalog.listings.dlq} with its reason and
 * original key, is counted, is not applied, and the records after it are still indexed.
 */
@QuarkusTest
class CatalogListingsDeadLetterTest {

    private static final Duration PROJECTION = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
    void anUnreadableRecordIsDeadLetteredAndTheNextOneIsIndexed() {
        ListingEvents.Listing listing = ListingEvents.newListing("Wetland Bird Classifier", "Classifies bird calls.");
        double before = deadLettered();
        catalog.send(listing.listingId(), "{ this is not a cloud event");
        catalog.publish(listing);

        await().atMost(PROJECTION)
                .untilAsserted(() ->
                        assertThat(SearchClient.listingIds(listing.marker())).contains(listing.listingId()));
        ConsumerRecord<String, String> dead =
                await().atMost(PROJECTION).until(() -> DeadLetters.withKey(listing.listingId()), r -> r != null);
        assertThat(dead.value()).isEqualTo("{ this is not a cloud event");
        assertThat(DeadLetters.header(dead, "dead-letter-reason")).contains("not JSON");
        assertThat(DeadLetters.header(dead, "dead-letter-topic")).isEqualTo(CatalogListingsProducer.TOPIC);
        assertThat(DeadLetters.header(dead, "dead-letter-offset")).isNotBlank();
        assertThat(DeadLetters.header(dead, "content-type"))
                .as("original headers kept")
                .isEqualTo("application/cloudevents+json");
        assertThat(deadLettered()).isGreaterThanOrEqualTo(before + 1);
    }

    @Test
    void aListingChangedWithoutAggregateVersionIsDeadLetteredAndNotApplied() throws Exception {
        ListingEvents.Listing listing = ListingEvents.newListing("Tidal Pool Counter", "Counts tide pools.")
                .atVersion(5);
        ObjectNode event = (ObjectNode) MAPPER.readTree(listing.toCloudEvent());
        event.remove("aggregateversion"); // data.version (5) is still there: it must not be used instead
        assertThat(event.get("data").get("version").asLong()).isEqualTo(5);
        ListingEvents.Listing next = ListingEvents.newListing("Tidal Pool Mapper", "Maps tide pools.");

        catalog.send(listing.listingId(), MAPPER.writeValueAsString(event));
        catalog.publish(next);

        await().atMost(PROJECTION)
                .untilAsserted(
                        () -> assertThat(SearchClient.listingIds(next.marker())).contains(next.listingId()));
        ConsumerRecord<String, String> dead =
                await().atMost(PROJECTION).until(() -> DeadLetters.withKey(listing.listingId()), r -> r != null);
        assertThat(DeadLetters.header(dead, "dead-letter-reason")).contains("aggregateversion");
        assertThat(SearchClient.listingIds(listing.marker())).as("not applied").isEmpty();
    }

    private double deadLettered() {
        return metrics.counter(
                        "modelmarket.consumer.dead.lettered",
                        "channel",
                        CatalogListingsConsumer.CHANNEL,
                        "topic",
                        CatalogListingsProducer.TOPIC,
                        "exception",
                        "MalformedEventException")
                .count();
    }
}
