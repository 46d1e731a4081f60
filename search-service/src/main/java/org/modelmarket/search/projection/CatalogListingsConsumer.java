package org.modelmarket.search.projection;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import org.modelmarket.search.config.SearchConfig;
import org.modelmarket.search.index.IndexRejectedException;
import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.index.WriteOutcome;

/**
 * Projects {@code catalog.listings} into the search index, one record at a time in partition order.
 *
 * <p>At-least-once: the returned {@link Uni} completes only after Elasticsearch accepted the write, and only then is
 * the record acknowledged (and its offset eligible for commit). While Elasticsearch is unavailable the write is
 * retried with backoff, indefinitely, so the consumer never moves past a record it has not applied. Records that can
 * never be applied (unreadable, or refused by the mapping) are logged, counted and skipped: the projection can be
 * rebuilt from the compacted topic once the cause is fixed.
 */
@ApplicationScoped
public class CatalogListingsConsumer {

    static final String CHANNEL = "catalog-listings";
    static final String METRIC = "search.projection.records";

    private static final Logger LOG = Logger.getLogger(CatalogListingsConsumer.class);

    private final CatalogListingReader reader;
    private final ListingProjector projector;
    private final SearchConfig.Projection config;
    private final MeterRegistry metrics;

    public CatalogListingsConsumer(CatalogListingReader reader, ListingProjector projector, SearchConfig config,
            MeterRegistry metrics) {
        this.reader = reader;
        this.projector = projector;
        this.config = config.projection();
        this.metrics = metrics;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        ListingChange change;
        try {
            change = reader.read(record.key(), record.value());
        } catch (MalformedEventException e) {
            LOG.errorf("Skipping unreadable record %s: %s", position(record), e.getMessage());
            count("malformed");
            return Uni.createFrom().voidItem();
        }
        if (change instanceof ListingChange.Ignore ignore) {
            LOG.debugf("Ignoring event type %s at %s", ignore.type(), position(record));
            count("ignored");
            return Uni.createFrom().voidItem();
        }
        return projector.apply(change)
                .onFailure(IndexUnavailableException.class).invoke(e -> LOG.warnf(
                        "Elasticsearch unavailable, will retry %s: %s", position(record), e.getMessage()))
                .onFailure(IndexUnavailableException.class).retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff()).indefinitely()
                .invoke(outcome -> {
                    LOG.debugf("%s %s at %s", outcome, change.listingId(), position(record));
                    count(outcome.name().toLowerCase(Locale.ROOT));
                })
                .onFailure(IndexRejectedException.class).recoverWithItem(e -> {
                    LOG.errorf("Skipping record %s that the index refused: %s", position(record), e.getMessage());
                    count("rejected");
                    return (WriteOutcome) null;
                })
                .replaceWithVoid();
    }

    private void count(String outcome) {
        metrics.counter(METRIC, "outcome", outcome).increment();
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
