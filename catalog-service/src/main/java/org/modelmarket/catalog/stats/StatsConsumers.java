package org.modelmarket.catalog.stats;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Reads {@code artifact.downloads} and {@code billing.entitlements} (structured CloudEvents JSON) into the
 * {@link StatsProjection}. One event at a time per channel, on a worker thread: an event whose processing fails
 * (database down) is retried until it passes, so none is skipped; an unreadable one is logged and skipped.
 */
@ApplicationScoped
public class StatsConsumers {

    private static final Logger LOG = Logger.getLogger(StatsConsumers.class);

    private final StatsProjection projection;
    private final ObjectMapper json;
    private final StatsConfig config;
    private final MeterRegistry registry;

    public StatsConsumers(StatsProjection projection, ObjectMapper json, StatsConfig config, MeterRegistry registry) {
        this.projection = projection;
        this.json = json;
        this.config = config;
        this.registry = registry;
    }

    @Incoming("downloads")
    @Blocking
    public void onDownload(String payload) {
        StatsProjection.Download event;
        try {
            JsonNode envelope = json.readTree(payload);
            JsonNode data = envelope.path("data");
            event = new StatsProjection.Download(eventId(envelope, data.path("downloadId")),
                    UUID.fromString(data.path("listingId").asText()), text(data.path("subject")),
                    instant(data.path("downloadedAt")));
        } catch (Exception e) {
            skip("artifact.downloads", payload, e);
            return;
        }
        process("artifact.downloads", () -> projection.apply(event));
    }

    @Incoming("entitlements")
    @Blocking
    public void onEntitlement(String payload) {
        if (payload == null) {
            return; // tombstone of the compacted topic: nothing to learn
        }
        StatsProjection.Entitlement event;
        try {
            JsonNode envelope = json.readTree(payload);
            JsonNode data = envelope.path("data");
            String subject = text(data.path("subject"));
            String status = text(data.path("status"));
            if (subject == null || status == null) {
                throw new IllegalArgumentException("subject and status are required");
            }
            event = new StatsProjection.Entitlement(eventId(envelope, data.path("entitlementId")),
                    UUID.fromString(data.path("listingId").asText()), subject, status,
                    data.path("source").asText("unknown"), instant(envelope.path("time")));
        } catch (Exception e) {
            skip("billing.entitlements", payload, e);
            return;
        }
        process("billing.entitlements", () -> projection.apply(event));
    }

    private void process(String topic, Supplier<Uni<Boolean>> work) {
        for (int attempt = 1;; attempt++) {
            try {
                boolean applied = VertxContextSupport.subscribeAndAwait(work);
                registry.counter("catalog.projection.events", "topic", topic, "outcome",
                        applied ? "applied" : "duplicate").increment();
                return;
            } catch (Throwable e) {
                if (attempt == 1 || attempt % 30 == 0) {
                    LOG.warnf(e, "Cannot apply a %s event (attempt %d); retrying", topic, attempt);
                }
                try {
                    Thread.sleep(config.retryDelay().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while retrying a " + topic + " event", interrupted);
                }
            }
        }
    }

    private void skip(String topic, String payload, Exception e) {
        registry.counter("catalog.projection.events", "topic", topic, "outcome", "unreadable").increment();
        LOG.warnf("Skipping an unreadable %s event (%s): %.200s", topic, e.toString(), payload);
    }

    private static String eventId(JsonNode envelope, JsonNode fallback) {
        String id = text(envelope.path("id"));
        if (id == null) {
            id = text(fallback);
        }
        if (id == null) {
            throw new IllegalArgumentException("event without id");
        }
        return id;
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static Instant instant(JsonNode node) {
        String text = text(node);
        return text == null ? null : Instant.parse(text);
    }
}
