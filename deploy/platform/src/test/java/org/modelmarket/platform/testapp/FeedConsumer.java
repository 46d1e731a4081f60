package org.modelmarket.platform.testapp;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.consumer.PoisonRecordException;
import org.modelmarket.platform.consumer.ProcessedEvents;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/** A consumer written by the README's recipe: state events, idempotent, the one failure policy. */
@ApplicationScoped
public class FeedConsumer {

    public static final String TYPE = "org.modelmarket.test.FeedChanged";

    /** The consumer's own reader of the event's data. */
    public record FeedData(@NotBlank String name) {}

    private final AtomicInteger attempts = new AtomicInteger();

    private final CloudEventReader reader;
    private final ProcessedEvents processed;

    public FeedConsumer(CloudEventReader reader, ProcessedEvents processed) {
        this.reader = reader;
        this.processed = processed;
    }

    /** Every invocation so far, retries included: proves that a transient failure was retried. */
    public int attempts() {
        return attempts.get();
    }

    @Incoming("feed")
    @Retry(
            maxRetries = -1,
            delay = 100,
            maxDuration = 365,
            durationUnit = ChronoUnit.DAYS,
            abortOn = PoisonRecordException.class)
    @ExponentialBackoff(maxDelay = 2, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<Void> consume(String payload) {
        attempts.incrementAndGet();
        IncomingEvent event = reader.readState(payload, TYPE);
        FeedData data = reader.data(event, FeedData.class);
        return Panache.withTransaction(() -> processed
                        .firstTime("feed", event.id())
                        .call(first -> {
                            if (!first) {
                                return Uni.createFrom().voidItem();
                            }
                            return Panache.getSession()
                                    .chain(session -> session.createNativeQuery(
                                                    "insert into feed_applied (event_id, aggregate_id, version, name) values (:id, :aggregate, :version, :name)")
                                            .setParameter("id", event.id())
                                            .setParameter("aggregate", event.subject())
                                            .setParameter("version", event.aggregateVersion())
                                            .setParameter("name", data.name())
                                            .executeUpdate());
                        }))
                .replaceWithVoid();
    }
}
