package org.modelmarket.billing.listing.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.PriceType;
import org.modelmarket.billing.listing.repository.ListingRepository;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The listing projection against real Kafka and PostgreSQL: ordering, idempotency, tombstones, and the platform's
 * failure policy (poison records dead-lettered while the channel goes on, transient failures retried, resuming after a
 * broker restart).
 */
@QuarkusTest
class ListingEventConsumerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @InjectLocalStack
    LocalStack stack;

    @Inject
    Pool pool;

    @Inject
    ListingRepository listings;

    @Inject
    MeterRegistry registry;

    @Test
    void projectsListingChanges() {
        UUID id = UUID.randomUUID();

        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "bert", 1, "trial"));

        Listing listing = awaitListing(id, 1);
        assertThat(listing.namespace).isEqualTo("proj-acme");
        assertThat(listing.name).isEqualTo("bert");
        assertThat(listing.priceType).isEqualTo(PriceType.TRIAL);
    }

    @Test
    void ignoresDuplicateAndOlderEvents() {
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "gpt", 3, "paid"));
        awaitListing(id, 3);
        double ignoredBefore = ignored();

        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "gpt", 2, "free"));
        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "gpt", 3, "free"));

        await().atMost(PATIENCE).until(() -> ignored() >= ignoredBefore + 2);
        Listing listing = find(id);
        assertThat(listing.aggregateVersion).isEqualTo(3);
        assertThat(listing.priceType).isEqualTo(PriceType.PAID);
    }

    @Test
    void appliesNewerEvents() {
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "t5", 1, "free"));
        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "t5", 2, "paid"));

        assertThat(awaitListing(id, 2).priceType).isEqualTo(PriceType.PAID);
    }

    @Test
    void unknownPriceTypeFailsClosed() {
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "odd", 1, "pay-what-you-want"));

        assertThat(awaitListing(id, 1).priceType).isEqualTo(PriceType.PAID);
    }

    @Test
    void tombstoneDeletesTheListing() {
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "gone", 1, "free"));
        awaitListing(id, 1);

        ListingEvents.send(id, null);

        await().atMost(PATIENCE).until(() -> find(id) == null);
    }

    @Test
    void deadLettersAPoisonRecordWithItsReasonAndAppliesTheNextOne() {
        UUID bad = UUID.randomUUID();
        UUID good = UUID.randomUUID();

        ListingEvents.send(bad, "{ this is not json");
        ListingEvents.send(good, ListingEvents.listingChanged(good, "proj-acme", "after-bad", 1, "free"));

        awaitListing(good, 1);
        ConsumerRecord<String, String> dead = awaitDeadLettered(bad);
        assertThat(dead.value()).isEqualTo("{ this is not json");
        assertThat(ListingEvents.header(dead, "dead-letter-reason")).contains("not JSON");
        assertThat(ListingEvents.header(dead, "dead-letter-topic")).isEqualTo("catalog.listings");
        assertThat(ListingEvents.header(dead, "dead-letter-offset")).isNotBlank();
        assertThat(ListingEvents.header(dead, "content-type"))
                .as("original headers kept")
                .isEqualTo("application/cloudevents+json");
        assertThat(find(bad)).isNull();
        assertThat(registry.find("modelmarket.consumer.dead.lettered")
                        .tag("channel", "catalog-listings")
                        .counters())
                .as("counted")
                .isNotEmpty();
    }

    @Test
    void deadLettersAnEventWithoutAggregateVersionAndDoesNotApplyIt() throws Exception {
        UUID id = UUID.randomUUID();
        ObjectNode event =
                (ObjectNode) MAPPER.readTree(ListingEvents.listingChanged(id, "proj-acme", "unversioned", 4, "free"));
        event.remove("aggregateversion");
        assertThat(event.at("/data/version").asLong())
                .as("only the edit version is left")
                .isEqualTo(4);
        UUID next = UUID.randomUUID();

        ListingEvents.send(id, event.toString());
        ListingEvents.send(next, ListingEvents.listingChanged(next, "proj-acme", "after-unversioned", 1, "paid"));

        awaitListing(next, 1);
        assertThat(ListingEvents.header(awaitDeadLettered(id), "dead-letter-reason"))
                .contains("has no aggregateversion");
        assertThat(find(id)).as("not applied").isNull();
    }

    @Test
    void resumesAfterABrokerRestart() {
        stack.kafka().restart();

        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "after-restart", 1, "trial"));

        assertThat(awaitListing(id, 1).priceType).isEqualTo(PriceType.TRIAL);
    }

    @Test
    void retriesWhileTheDatabaseIsDownThenAppliesWithoutDeadLettering() {
        double retriesBefore = retries();
        UUID id = UUID.randomUUID();
        sql("alter table listing rename to listing_away");
        try {
            ListingEvents.send(id, ListingEvents.listingChanged(id, "proj-acme", "during-outage", 1, "paid"));
            // The failure path was taken: the consumer's @Retry retried the record.
            await().atMost(PATIENCE).until(() -> retries() > retriesBefore);
        } finally {
            sql("alter table listing_away rename to listing");
        }

        awaitListing(id, 1);
        assertThat(ListingEvents.deadLettered(id.toString()))
                .as("a transient failure is not poison")
                .isEmpty();
    }

    /** Retries of the consumer method so far (SmallRye Fault Tolerance's metric). */
    private double retries() {
        return registry.find("ft.retry.retries.total").counters().stream()
                .filter(counter ->
                        String.valueOf(counter.getId().getTag("method")).contains("ListingEventConsumer"))
                .mapToDouble(Counter::count)
                .sum();
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }

    private static ConsumerRecord<String, String> awaitDeadLettered(UUID key) {
        return await().atMost(PATIENCE)
                .until(() -> ListingEvents.deadLettered(key.toString()), Optional::isPresent)
                .orElseThrow();
    }

    private Listing awaitListing(UUID id, long version) {
        return await().atMost(PATIENCE).until(() -> find(id), l -> l != null && l.aggregateVersion == version);
    }

    private Listing find(UUID id) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> listings.findById(id)));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private double ignored() {
        return registry.counter("modelmarket.listing.events", "outcome", "ignored")
                .count();
    }
}
