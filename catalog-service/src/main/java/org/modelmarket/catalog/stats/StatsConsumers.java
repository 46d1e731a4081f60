package org.modelmarket.catalog.stats;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.consumer.PoisonRecordException;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Reads {@code artifact.downloads} and {@code billing.entitlements} (structured CloudEvents JSON) into the
 * {@link StatsProjection}, under the product's one failure policy (platform library): a record that is not a usable
 * event of the expected type is dead-lettered to {@code <topic>.dlq} at once; any other failure (database down) is
 * retried with exponential backoff, without blocking a thread, until it passes. Redeliveries are applied once (the
 * projection's processed-event table).
 */
@ApplicationScoped
public class StatsConsumers {

    static final String DOWNLOADS = "artifact.downloads";
    static final String ENTITLEMENTS = "billing.entitlements";
    static final String FILE_DOWNLOADED = "org.modelmarket.artifact.FileDownloaded";
    static final String ENTITLEMENT_CHANGED = "org.modelmarket.billing.EntitlementChanged";

    /** What the catalog reads of artifact-service's FileDownloaded data. */
    public record FileDownloaded(@NotNull UUID listingId, String subject, Instant downloadedAt) {}

    /** What the catalog reads of billing-service's EntitlementChanged data. */
    public record EntitlementChanged(
            @NotNull UUID listingId,
            @NotBlank String subject,
            @NotBlank String status,
            String source) {}

    private final StatsProjection projection;
    private final CloudEventReader reader;
    private final MeterRegistry registry;

    public StatsConsumers(StatsProjection projection, CloudEventReader reader, MeterRegistry registry) {
        this.projection = projection;
        this.reader = reader;
        this.registry = registry;
    }

    @Incoming("downloads")
    @Retry(
            maxRetries = -1,
            delay = 200,
            maxDuration = 365,
            durationUnit = ChronoUnit.DAYS,
            abortOn = PoisonRecordException.class)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<Void> onDownload(String payload) {
        IncomingEvent event = reader.read(payload, FILE_DOWNLOADED);
        FileDownloaded data = reader.data(event, FileDownloaded.class);
        return count(
                DOWNLOADS,
                projection.apply(new StatsProjection.Download(
                        event.id(), data.listingId(), data.subject(), data.downloadedAt())));
    }

    @Incoming("entitlements")
    @Retry(
            maxRetries = -1,
            delay = 200,
            maxDuration = 365,
            durationUnit = ChronoUnit.DAYS,
            abortOn = PoisonRecordException.class)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<Void> onEntitlement(String payload) {
        if (payload == null) {
            return Uni.createFrom().voidItem(); // tombstone of the compacted topic: nothing to learn
        }
        IncomingEvent event = reader.read(payload, ENTITLEMENT_CHANGED);
        EntitlementChanged data = reader.data(event, EntitlementChanged.class);
        return count(
                ENTITLEMENTS,
                projection.apply(new StatsProjection.Entitlement(
                        event.id(),
                        data.listingId(),
                        data.subject(),
                        data.status(),
                        data.source() == null ? "unknown" : data.source(),
                        event.time())));
    }

    private Uni<Void> count(String topic, Uni<Boolean> applied) {
        return applied.invoke(first -> registry.counter(
                                "modelmarket.catalog.stats.events",
                                "topic",
                                topic,
                                "outcome",
                                first ? "applied" : "duplicate")
                        .increment())
                .replaceWithVoid();
    }
}
