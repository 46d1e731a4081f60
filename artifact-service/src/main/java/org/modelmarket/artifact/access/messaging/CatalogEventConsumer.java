package org.modelmarket.artifact.access.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.modelmarket.artifact.access.TermsAcceptance;
import org.modelmarket.artifact.access.repository.TermsAcceptanceRepository;
import org.modelmarket.artifact.version.Version;
import org.modelmarket.artifact.version.repository.VersionRepository;
import org.modelmarket.platform.consumer.PoisonRecordException;
import org.modelmarket.platform.consumer.ProcessedEvents;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Applies catalog's terms acceptances and version publications from {@code catalog.events}, once each (processed-event
 * table), under the platform's one failure policy. A published version is frozen: a later event for the same name
 * never moves it to another commit.
 */
@ApplicationScoped
public class CatalogEventConsumer {

    static final String CONSUMER = "catalog.events";

    private final CatalogEventReader reader;
    private final ProcessedEvents processed;
    private final TermsAcceptanceRepository terms;
    private final VersionRepository versions;

    public CatalogEventConsumer(
            CatalogEventReader reader,
            ProcessedEvents processed,
            TermsAcceptanceRepository terms,
            VersionRepository versions) {
        this.reader = reader;
        this.processed = processed;
        this.terms = terms;
        this.versions = versions;
    }

    @Incoming("catalog-events")
    @Retry(
            maxRetries = -1,
            delay = 200,
            maxDuration = 365,
            durationUnit = ChronoUnit.DAYS,
            abortOn = PoisonRecordException.class)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<Void> consume(String payload) {
        if (payload == null) {
            return Uni.createFrom().voidItem(); // catalog.events is not compacted; nothing to delete
        }
        return reader.read(payload)
                .map(read -> Panache.withTransaction(() -> processed
                                .firstTime(CONSUMER, read.eventId())
                                .call(first -> first
                                        ? apply(read.data())
                                        : Uni.createFrom().voidItem()))
                        .replaceWithVoid())
                .orElseGet(() -> Uni.createFrom().voidItem());
    }

    private Uni<?> apply(Object data) {
        return switch (data) {
            case CatalogEventReader.TermsAccepted accepted -> {
                TermsAcceptance row = new TermsAcceptance();
                row.listingId = accepted.listingId();
                row.subject = accepted.subject();
                row.termsVersion = accepted.termsVersion();
                row.acceptedAt = accepted.acceptedAt() == null ? Instant.now() : accepted.acceptedAt();
                yield terms.count(
                                "listingId = ?1 and subject = ?2 and termsVersion = ?3",
                                row.listingId,
                                row.subject,
                                row.termsVersion)
                        .chain(n -> n > 0 ? Uni.createFrom().voidItem() : terms.persist(row));
            }
            case CatalogEventReader.VersionPublished published -> {
                if (published.commit() == null) {
                    yield Uni.createFrom().voidItem();
                }
                yield versions.commitOf(published.listingId(), published.version())
                        .chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().voidItem(); // frozen at first publication
                            }
                            Version version = new Version();
                            version.listingId = published.listingId();
                            version.name = published.version();
                            version.commitId = published.commit();
                            version.publishedAt = Instant.now();
                            return versions.persist(version);
                        });
            }
            default -> Uni.createFrom().voidItem();
        };
    }
}
