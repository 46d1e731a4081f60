package org.modelmarket.platform.cloudevents;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvent as {@link CloudEventReader} read it: the envelope's attributes and the raw {@code data}, which the
 * consumer maps to its own reader record with {@link CloudEventReader#data}.
 *
 * @param aggregateVersion the {@code aggregateversion} extension, {@code null} when absent (never absent for an event
 *        read with {@link CloudEventReader#readState})
 * @param traceparent the {@code traceparent} extension, {@code null} when absent
 */
public record IncomingEvent(
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        Long aggregateVersion,
        String traceparent,
        JsonNode data) {}
