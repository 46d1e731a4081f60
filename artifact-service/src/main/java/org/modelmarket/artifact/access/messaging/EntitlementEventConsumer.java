package org.modelmarket.artifact.access.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.modelmarket.artifact.access.Entitlement;
import org.modelmarket.artifact.access.repository.EntitlementRepository;
import org.modelmarket.platform.cloudevents.MalformedEventException;
import org.modelmarket.platform.consumer.PoisonRecordException;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the entitlement projection in step with {@code billing.entitlements}, under the platform's one failure
 * policy (poison records to {@code billing.entitlements.dlq}, transient failures retried). Idempotent by aggregate
 * version per (listing, buyer); a tombstone (key {@code <listingId>/<subject>}) removes the row.
 */
@ApplicationScoped
public class EntitlementEventConsumer {

    private final EntitlementChangedReader reader;
    private final EntitlementRepository entitlements;
    private final MeterRegistry registry;

    public EntitlementEventConsumer(
            EntitlementChangedReader reader, EntitlementRepository entitlements, MeterRegistry registry) {
        this.reader = reader;
        this.entitlements = entitlements;
        this.registry = registry;
    }

    @Incoming("billing-entitlements")
    @Retry(
            maxRetries = -1,
            delay = 200,
            maxDuration = 365,
            durationUnit = ChronoUnit.DAYS,
            abortOn = PoisonRecordException.class)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        Uni<String> outcome = record.value() == null ? tombstone(record.key()) : apply(reader.read(record.value()));
        return outcome.invoke(result -> registry.counter(
                                "modelmarket.entitlement.events", "outcome", result.toLowerCase(Locale.ROOT))
                        .increment())
                .replaceWithVoid();
    }

    private Uni<String> apply(EntitlementChangedReader.Change change) {
        EntitlementChangedReader.Data data = change.data();
        return Panache.withTransaction(() -> entitlements
                .find(data.listingId(), data.subject())
                .chain(existing -> {
                    if (existing != null && existing.aggregateVersion >= change.aggregateVersion()) {
                        return Uni.createFrom().item("ignored");
                    }
                    Entitlement row = existing != null ? existing : new Entitlement();
                    row.listingId = data.listingId();
                    row.subject = data.subject();
                    row.active = change.active();
                    row.status = data.subscriptionStatus();
                    row.expiresAt = data.expiresAt();
                    row.aggregateVersion = change.aggregateVersion();
                    row.updatedAt = Instant.now();
                    return (existing != null ? Uni.createFrom().item(row) : entitlements.persist(row))
                            .replaceWith("applied");
                }));
    }

    private Uni<String> tombstone(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        UUID listingId;
        try {
            listingId = UUID.fromString(key.substring(0, slash));
        } catch (RuntimeException e) {
            throw new MalformedEventException("tombstone key is not <listingId>/<subject>: " + key, e);
        }
        String subject = key.substring(slash + 1);
        return Panache.withTransaction(() -> entitlements.deleteById(new Entitlement.Key(listingId, subject)))
                .map(deleted -> deleted ? "deleted" : "ignored");
    }
}
