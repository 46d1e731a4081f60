package org.modelmarket.platform.cloudevents;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.modelmarket.platform.tracing.TraceContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds and serialises CloudEvents envelopes: {@code source} is {@code /<quarkus.application.name>} and
 * {@code traceparent} the current span's context, so every service writes the same envelope the same way.
 */
@ApplicationScoped
public class CloudEventWriter {

    private final ObjectMapper json;
    private final String source;

    public CloudEventWriter(ObjectMapper json, @ConfigProperty(name = "quarkus.application.name") String application) {
        this.json = json;
        this.source = "/" + application;
    }

    /** {@code /<quarkus.application.name>}, the {@code source} of every event this service writes. */
    public String source() {
        return source;
    }

    /**
     * An envelope for {@code data}.
     *
     * @param subject the aggregate id (also the Kafka record key)
     * @param aggregateVersion the aggregate's state revision after the change, or {@code null} for an event that is
     *        not about an aggregate's state
     */
    public <T> CloudEvent<T> envelope(
            UUID id, String type, String subject, Instant time, Long aggregateVersion, T data) {
        return new CloudEvent<>(
                CloudEvent.SPEC_VERSION,
                id,
                source,
                type,
                subject,
                time,
                CloudEvent.DATA_CONTENT_TYPE,
                aggregateVersion,
                TraceContext.currentTraceparent(),
                data);
    }

    /** The envelope as JSON, the record value. */
    public String write(CloudEvent<?> event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise event " + event.type() + " " + event.id(), e);
        }
    }
}
