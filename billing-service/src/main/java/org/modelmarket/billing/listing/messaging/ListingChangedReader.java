package org.modelmarket.billing.listing.messaging;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.listing.service.ListingChanged;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * This service's own reader of catalog's structured CloudEvents (the consumer side of the contract): it takes only
 * the fields it needs and tolerates any others, so the producer can add fields without breaking it.
 */
@ApplicationScoped
public class ListingChangedReader {

    /** The CloudEvents type this reader understands. */
    public static final String TYPE = "org.modelmarket.catalog.ListingChanged";

    private final ObjectMapper mapper;

    public ListingChangedReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads one record value.
     *
     * @return empty for events of another type (the topic may carry more types later)
     * @throws MalformedEventException when the value is not a readable ListingChanged event
     */
    public Optional<ListingChanged> read(String json) {
        JsonNode event;
        try {
            event = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("Not JSON", e);
        }
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("Not a JSON object");
        }
        if (!"1.0".equals(text(event, "specversion"))) {
            throw new MalformedEventException("Unsupported CloudEvents specversion " + event.get("specversion"));
        }
        if (!TYPE.equals(text(event, "type"))) {
            return Optional.empty();
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            throw new MalformedEventException("Missing data object");
        }
        JsonNode version = event.hasNonNull("aggregateversion") ? event.get("aggregateversion") : data.get("version");
        if (version == null || !version.canConvertToLong() || version.asLong() < 1) {
            throw new MalformedEventException("Missing or invalid aggregateversion");
        }
        return Optional.of(new ListingChanged(
                required(event, "id"),
                uuid(required(data, "listingId")),
                version.asLong(),
                required(data, "namespace"),
                required(data, "name"),
                text(data, "priceType")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("Missing " + field);
        }
        return value;
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("listingId is not a UUID: " + value, e);
        }
    }
}
