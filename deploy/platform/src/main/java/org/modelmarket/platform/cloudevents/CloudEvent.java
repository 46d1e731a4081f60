package org.modelmarket.platform.cloudevents;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A structured-mode CloudEvents 1.0 envelope, the value of every record a service publishes.
 * <p>
 * Two extension attributes: {@code aggregateversion}, the aggregate's state revision that consumers of state events
 * use to drop stale or duplicate events (absent for events that are not about an aggregate's state), and
 * {@code traceparent} (the CloudEvents distributed-tracing extension), the W3C trace context of the request that
 * caused the event (absent when no trace was active).
 *
 * @param <T> the type of {@code data}
 */
@JsonPropertyOrder({
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "aggregateversion",
    "traceparent",
    "data"
})
public record CloudEvent<T>(
        String specversion,
        UUID id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long aggregateversion,
        @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    /** Kafka {@code content-type} header of a structured-mode CloudEvents record. */
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    /** {@code datacontenttype} of every event: the data is JSON. */
    public static final String DATA_CONTENT_TYPE = "application/json";
}
