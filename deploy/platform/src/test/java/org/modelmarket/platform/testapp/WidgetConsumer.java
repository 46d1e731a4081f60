package org.modelmarket.platform.testapp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;

import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;

/** Reads the outbox's own topic back, and notes the trace id current while each event is processed. */
@ApplicationScoped
public class WidgetConsumer {

    private final Map<String, String> traceIds = new ConcurrentHashMap<>();

    private final CloudEventReader reader;

    public WidgetConsumer(CloudEventReader reader) {
        this.reader = reader;
    }

    /** The trace id the consumer ran under while processing event {@code eventId}, or {@code null}. */
    public String traceIdOf(String eventId) {
        return traceIds.get(eventId);
    }

    @Incoming("widgets")
    public Uni<Void> consume(String payload) {
        IncomingEvent event = reader.readState(payload);
        traceIds.put(event.id(), Span.current().getSpanContext().getTraceId());
        return Uni.createFrom().voidItem();
    }
}
