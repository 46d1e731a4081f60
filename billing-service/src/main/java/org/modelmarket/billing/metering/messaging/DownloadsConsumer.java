package org.modelmarket.billing.metering.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.modelmarket.billing.metering.service.MeteringService;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.consumer.PoisonRecordException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Meters the {@code downloads} dimension from artifact-service's {@code FileDownloaded} events, exactly once per
 * {@code downloadId} (the metering record's unique key; a redelivery inserts nothing). Downloads by anonymous callers
 * and by subjects without a subscription pricing downloads are skipped, and so are downloads outside the metering
 * window (older than {@code modelmarket.billing.metering.window} or in the future), as BatchMeterUsage refuses such
 * records. The platform's one failure policy applies.
 */
@ApplicationScoped
public class DownloadsConsumer {

    public static final String TYPE = "org.modelmarket.artifact.FileDownloaded";

    /** What billing reads of the event's data. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileDownloaded(
            @NotNull UUID downloadId,
            @NotNull UUID listingId,
            String subject,
            @NotNull Instant downloadedAt) {}

    private final CloudEventReader reader;
    private final MeteringService metering;
    private final MeterRegistry registry;

    public DownloadsConsumer(CloudEventReader reader, MeteringService metering, MeterRegistry registry) {
        this.reader = reader;
        this.metering = metering;
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
    public Uni<Void> consume(String payload) {
        IncomingEvent event = reader.read(payload, TYPE);
        FileDownloaded data = reader.data(event, FileDownloaded.class);
        if (data.subject() == null || data.subject().isBlank() || "anonymous".equals(data.subject())) {
            return count("anonymous");
        }
        return metering.meterDownload(data.listingId(), data.subject(), data.downloadId(), data.downloadedAt())
                .chain(outcome -> count(
                        switch (outcome) {
                            case METERED -> "metered";
                            case NOT_METERED -> "not-metered";
                            // Like a late BatchMeterUsage record: older than the metering window, or in the future.
                            case OUT_OF_BOUNDS -> "out-of-bounds";
                        }));
    }

    private Uni<Void> count(String outcome) {
        registry.counter("modelmarket.billing.download.events", "outcome", outcome)
                .increment();
        return Uni.createFrom().voidItem();
    }
}
