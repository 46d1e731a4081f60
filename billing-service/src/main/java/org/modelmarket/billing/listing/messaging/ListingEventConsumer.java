package org.modelmarket.billing.listing.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.modelmarket.billing.listing.service.ListingProjectionService;
import org.modelmarket.billing.listing.service.ProjectionOutcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Feeds {@code catalog.listings} into the listing projection. Unreadable records are logged, counted and skipped
 * (retrying cannot fix them); database failures propagate so that the record is not acknowledged.
 */
@ApplicationScoped
public class ListingEventConsumer {

    private static final Logger LOG = Logger.getLogger(ListingEventConsumer.class);

    private final ListingChangedReader reader;
    private final ListingProjectionService projection;
    private final MeterRegistry registry;

    public ListingEventConsumer(ListingChangedReader reader, ListingProjectionService projection,
            MeterRegistry registry) {
        this.reader = reader;
        this.projection = projection;
        this.registry = registry;
    }

    @Incoming("catalog-listings")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        Uni<ProjectionOutcome> outcome;
        try {
            outcome = record.value() == null ? tombstone(record.key()) : change(record.value());
        } catch (MalformedEventException e) {
            LOG.warnf("Skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            registry.counter("modelmarket.listing.events", "outcome", "malformed").increment();
            return Uni.createFrom().voidItem();
        }
        return outcome
                .invoke(result -> registry.counter("modelmarket.listing.events", "outcome",
                        result.name().toLowerCase()).increment())
                .invoke(result -> LOG.debugf("Listing event key=%s offset=%d: %s", record.key(), record.offset(),
                        result))
                .replaceWithVoid();
    }

    private Uni<ProjectionOutcome> tombstone(String key) {
        UUID listingId;
        try {
            listingId = UUID.fromString(key);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("Tombstone key is not a listing id: " + key, e);
        }
        return projection.remove(listingId);
    }

    private Uni<ProjectionOutcome> change(String value) {
        return reader.read(value)
                .map(projection::apply)
                .orElseGet(() -> Uni.createFrom().item(ProjectionOutcome.IGNORED));
    }
}
