package org.modelmarket.platform.cloudevents;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.modelmarket.platform.tracing.TraceContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads structured-mode CloudEvents JSON. Everything a consumer cannot use is a {@link MalformedEventException}
 * (a poison record, dead-lettered): not JSON, not an object, a missing required attribute ({@code specversion},
 * {@code id}, {@code source}, {@code type}), and, for an aggregate's state event read with {@link #readState}, a
 * missing or non-numeric {@code aggregateversion}: a consumer must never fall back to another counter (such as an
 * edit version inside {@code data}) to order state events.
 */
@ApplicationScoped
public class CloudEventReader {

    private final ObjectMapper json;
    private final Validator validator;

    public CloudEventReader(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** Reads any event; {@code aggregateversion} may be absent, but when present it must be a whole number. */
    public IncomingEvent read(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new MalformedEventException("empty record value, expected a CloudEvent");
        }
        JsonNode envelope;
        try {
            envelope = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("record value is not JSON: " + e.getOriginalMessage(), e);
        }
        if (envelope == null || !envelope.isObject()) {
            throw new MalformedEventException("record value is not a JSON object, expected a CloudEvent");
        }
        String specversion = required(envelope, "specversion");
        if (!specversion.startsWith("1.")) {
            throw new MalformedEventException("unsupported CloudEvents specversion " + specversion);
        }
        JsonNode version = envelope.get("aggregateversion");
        return new IncomingEvent(
                required(envelope, "id"),
                required(envelope, "source"),
                required(envelope, "type"),
                text(envelope.get("subject")),
                time(envelope.get("time")),
                version == null || version.isNull() ? null : aggregateVersion(version),
                text(envelope.get(TraceContext.TRACEPARENT)),
                envelope.path("data"));
    }

    /** Reads an aggregate's state event: a missing {@code aggregateversion} makes it malformed. */
    public IncomingEvent readState(String payload) {
        IncomingEvent event = read(payload);
        if (event.aggregateVersion() == null) {
            throw new MalformedEventException(
                    "state event " + event.type() + " " + event.id() + " has no aggregateversion");
        }
        return event;
    }

    /** Reads an event and checks its {@code type}. */
    public IncomingEvent read(String payload, String expectedType) {
        return checkType(read(payload), expectedType);
    }

    /** Reads a state event and checks its {@code type}. */
    public IncomingEvent readState(String payload, String expectedType) {
        return checkType(readState(payload), expectedType);
    }

    /**
     * Maps the event's {@code data} to the consumer's own reader type and validates it (Jakarta Validation
     * constraints on the type): unmappable or invalid data makes the event malformed.
     */
    public <T> T data(IncomingEvent event, Class<T> type) {
        if (event.data() == null || event.data().isMissingNode() || event.data().isNull()) {
            throw new MalformedEventException("event " + event.type() + " " + event.id() + " has no data");
        }
        T data;
        try {
            data = json.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException(
                    "data of event " + event.type() + " " + event.id() + " is not a " + type.getSimpleName() + ": "
                            + e.getMessage(),
                    e);
        }
        Set<ConstraintViolation<T>> violations = validator.validate(data);
        if (!violations.isEmpty()) {
            String reasons = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> "data." + v.getPropertyPath() + " " + v.getMessage())
                    .collect(Collectors.joining(", "));
            throw new MalformedEventException("event " + event.type() + " " + event.id() + " is invalid: " + reasons);
        }
        return data;
    }

    private static IncomingEvent checkType(IncomingEvent event, String expectedType) {
        if (!expectedType.equals(event.type())) {
            throw new MalformedEventException(
                    "event " + event.id() + " has type " + event.type() + ", expected " + expectedType);
        }
        return event;
    }

    private static long aggregateVersion(JsonNode version) {
        if (version.isIntegralNumber() && version.canConvertToLong()) {
            return version.asLong();
        }
        // Binary-mode transports carry extension attributes as strings; accept a string of digits, nothing else.
        if (version.isTextual() && version.asText().matches("-?\\d{1,18}")) {
            return Long.parseLong(version.asText());
        }
        throw new MalformedEventException("aggregateversion is not a whole number: " + version);
    }

    private static String required(JsonNode envelope, String attribute) {
        String value = text(envelope.get(attribute));
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("CloudEvent without " + attribute);
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static Instant time(JsonNode node) {
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("time is not an RFC 3339 timestamp: " + text, e);
        }
    }
}
