package org.modelmarket.search.projection;

import java.util.Locale;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.modelmarket.platform.consumer.PoisonRecordException;
import org.modelmarket.platform.tracing.TraceContext;
import org.modelmarket.search.config.SearchConfig;
import org.modelmarket.search.index.IndexRejectedException;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

/**
 * Projects {@code catalog.listings} into the search index, one record at a time in partition order, under the
 * product's one consumer failure policy (failure strategy {@code modelmarket-dlq}, see deploy/platform).
 *
 * <p>At-least-once: the returned {@link Uni} completes only after Elasticsearch accepted the write, and only then is
 * the record acknowledged (and its offset eligible for commit). A transient failure (Elasticsearch unavailable, or
 * anything else that is not a poison record) is retried with backoff on Mutiny's timers, without end and without
 * blocking the event loop, so the consumer never moves past a record it has not applied. A poison record (unreadable,
 * malformed, no {@code aggregateversion}, or a document the mapping refuses) fails the {@link Uni} with a
 * {@link PoisonRecordException}: the failure strategy sends it to {@code catalog.listings.dlq} with the reason,
 * counts it and the channel carries on.
 */
@ApplicationScoped
public class CatalogListingsConsumer {

    static final String CHANNEL = "catalog-listings";
    static final String METRIC = "modelmarket.search.projection.records";

    private static final Logger LOG = Logger.getLogger(CatalogListingsConsumer.class);

    private final CatalogListingReader reader;
    private final ListingProjector projector;
    private final SearchConfig.Projection config;
    private final MeterRegistry metrics;
    private final Tracer tracer;

    public CatalogListingsConsumer(
            CatalogListingReader reader,
            ListingProjector projector,
            SearchConfig config,
            MeterRegistry metrics,
            Tracer tracer) {
        this.reader = reader;
        this.projector = projector;
        this.config = config.projection();
        this.metrics = metrics;
        this.tracer = tracer;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        ListingChange change;
        try {
            change = reader.read(record.key(), record.value());
        } catch (PoisonRecordException e) {
            // failed, not thrown: the failure strategy dead-letters it
            return Uni.createFrom().failure(e);
        }
        if (change instanceof ListingChange.Ignore ignore) {
            LOG.debugf("Ignoring event type %s at %s", ignore.type(), position(record));
            count("ignored");
            return Uni.createFrom().voidItem();
        }
        return traced(
                record,
                () -> projector
                        .apply(change)
                        .onFailure(IndexRejectedException.class)
                        .transform(e -> new PoisonRecordException(
                                "The index refused listing " + change.listingId() + ": " + e.getMessage(), e))
                        .onFailure(failure -> !(failure instanceof PoisonRecordException))
                        .invoke(e -> LOG.warnf("Could not apply %s, will retry: %s", position(record), e.getMessage()))
                        .onFailure(failure -> !(failure instanceof PoisonRecordException))
                        .retry()
                        .withBackOff(config.initialBackoff(), config.maxBackoff())
                        .indefinitely()
                        .invoke(outcome -> {
                            LOG.debugf("%s %s at %s", outcome, change.listingId(), position(record));
                            count(outcome.name().toLowerCase(Locale.ROOT));
                        })
                        .replaceWithVoid());
    }

    /**
     * Continues the producer's trace: the connector's instrumentation already continues the record's
     * {@code traceparent} header; when the CloudEvent's own {@code traceparent} names another trace (a producer that
     * set only the envelope's), the write gets a span of its own under the event's context.
     */
    private Uni<Void> traced(ConsumerRecord<String, String> record, Supplier<Uni<Void>> work) {
        String traceparent = reader.traceparent(record.value());
        String traceId = TraceContext.traceId(traceparent);
        if (traceId == null || traceId.equals(Span.current().getSpanContext().getTraceId())) {
            return work.get();
        }
        Span span = tracer.spanBuilder(record.topic() + " apply")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceContext.fromTraceparent(traceparent))
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get().onTermination().invoke(span::end);
        }
    }

    private void count(String outcome) {
        metrics.counter(METRIC, "outcome", outcome).increment();
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
