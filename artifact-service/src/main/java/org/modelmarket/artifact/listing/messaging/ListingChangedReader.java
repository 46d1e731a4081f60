package org.modelmarket.artifact.listing.messaging;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.modelmarket.artifact.listing.service.ListingChanged;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.cloudevents.MalformedEventException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This service's own reader of catalog's {@code ListingChanged} (the consumer side of the contract): the platform's
 * {@link CloudEventReader} checks the envelope, this class takes only the data fields artifact-service needs and
 * tolerates any others, so the producer can add fields without breaking it.
 */
@ApplicationScoped
public class ListingChangedReader {

    /** The CloudEvents type this reader understands. */
    public static final String TYPE = "org.modelmarket.catalog.ListingChanged";

    /** The part of the event's {@code data} artifact-service reads (owners: Keycloak subjects). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(
            @NotNull UUID listingId,
            @NotBlank String namespace,
            @NotBlank String name,
            List<String> owners,
            String visibility,
            String priceType,
            Boolean gated,
            String gateTerms) {}

    private final CloudEventReader events;

    public ListingChangedReader(CloudEventReader events) {
        this.events = events;
    }

    /**
     * Reads one record value of the state topic {@code catalog.listings}.
     *
     * @return empty for events of another type (the topic may carry more types later)
     * @throws MalformedEventException when the value is not a usable event: not a CloudEvent, no or a non-positive
     *         {@code aggregateversion} (never replaced by the edit version inside {@code data}), invalid data
     */
    public Optional<ListingChanged> read(String payload) {
        IncomingEvent event = events.readState(payload);
        if (!TYPE.equals(event.type())) {
            return Optional.empty();
        }
        if (event.aggregateVersion() < 1) {
            throw new MalformedEventException("event " + event.id() + " has aggregateversion "
                    + event.aggregateVersion() + ", expected at least 1");
        }
        Data data = events.data(event, Data.class);
        return Optional.of(new ListingChanged(
                event.id(),
                data.listingId(),
                event.aggregateVersion(),
                data.namespace(),
                data.name(),
                owners(data),
                data.visibility(),
                data.priceType() == null ? "free" : data.priceType().toLowerCase(java.util.Locale.ROOT),
                Boolean.TRUE.equals(data.gated()),
                Boolean.TRUE.equals(data.gated()) ? termsVersion(data.gateTerms()) : null));
    }

    /** catalog's terms version: the sha256 of the terms text (a gated listing without terms gets the empty text's). */
    public static String termsVersion(String terms) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((terms == null ? "" : terms).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    // A missing list or null entries name nobody; they must not fail later as if the database were down.
    private static List<String> owners(Data data) {
        return data.owners() == null
                ? List.of()
                : data.owners().stream().filter(Objects::nonNull).toList();
    }
}
