package org.modelmarket.billing.listing.messaging;

import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.modelmarket.billing.entitlement.service.EntitlementCache;
import org.modelmarket.billing.listing.service.ListingProjectionService;
import org.modelmarket.billing.listing.service.ProjectionOutcome;
import org.modelmarket.platform.cloudevents.MalformedEventException;
import org.modelmarket.platform.consumer.PoisonRecordException;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Feeds {@code catalog.listings} into the listing projection under the platform's one failure policy: a record that
 * can never be used (a {@link PoisonRecordException}, e.g. not a CloudEvent or without {@code aggregateversion}) goes
 * to {@code catalog.listings.dlq} at once (failure strategy {@code modelmarket-dlq}); any other failure (the database
 * down) is retried with backoff until it passes. Idempotent by aggregate version, so no processed-event table. Once
 * a change is committed, this replica's cached entitlements of the listing go (its price type may have changed); the
 * group's other replicas do not see the event and keep theirs for at most
 * {@code modelmarket.billing.entitlement-cache.max-age}.
 */
@ApplicationScoped
public class ListingEventConsumer {

    private static final Logger LOG = Logger.getLogger(ListingEventConsumer.class);

    private final ListingChangedReader reader;
    private final ListingProjectionService projection;
    private final MeterRegistry registry;
    private final EntitlementCache entitlements;

    public ListingEventConsumer(
            ListingChangedReader reader,
            ListingProjectionService projection,
            MeterRegistry registry,
            EntitlementCache entitlements) {
        this.reader = reader;
        this.projection = projection;
        this.registry = registry;
        this.entitlements = entitlements;
    }

    @Incoming("catalog-listings")
    @Retry(
            maxRetries = -1,
            delay = 200,
            maxDuration = 365,
            durationUnit = ChronoUnit.DAYS,
            abortOn = PoisonRecordException.class)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        Uni<ProjectionOutcome> outcome = record.value() == null ? tombstone(record.key()) : change(record.value());
        return outcome.invoke(result -> registry.counter(
                                "modelmarket.listing.events",
                                "outcome",
                                result.name().toLowerCase(Locale.ROOT))
                        .increment())
                .invoke(result ->
                        LOG.debugf("Listing event key=%s offset=%d: %s", record.key(), record.offset(), result))
                .replaceWithVoid();
    }

    private Uni<ProjectionOutcome> tombstone(String key) {
        UUID listingId;
        try {
            listingId = UUID.fromString(key);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("tombstone key is not a listing id: " + key, e);
        }
        return projection.remove(listingId).invoke(() -> entitlements.invalidateListing(listingId, "", ""));
    }

    private Uni<ProjectionOutcome> change(String value) {
        return reader.read(value)
                .map(event -> projection
                        .apply(event)
                        .invoke(() ->
                                entitlements.invalidateListing(event.listingId(), event.namespace(), event.name())))
                .orElseGet(() -> Uni.createFrom().item(ProjectionOutcome.IGNORED));
    }
}
