package org.modelmarket.artifact.outbox;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A structured-mode CloudEvents 1.0 envelope, the value of every record the artifact service publishes.
 *
 * @param <T> the type of {@code data}
 */
@JsonPropertyOrder({ "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data" })
public record CloudEvent<T>(
        String specversion,
        UUID id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "/artifact-service";
    /** Kafka {@code content-type} header of a structured-mode CloudEvents record. */
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    public static <T> CloudEvent<T> of(UUID id, String type, String subject, Instant time, T data) {
        return new CloudEvent<>(SPEC_VERSION, id, SOURCE, type, subject, time, "application/json", data);
    }
}
