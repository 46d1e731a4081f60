package org.modelmarket.billing.listing.messaging;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.modelmarket.billing.listing.service.ListingChanged;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.cloudevents.MalformedEventException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This service's own reader of catalog's {@code ListingChanged} (the consumer side of the contract): the platform's
 * {@link CloudEventReader} checks the envelope, this class takes only the data fields billing needs and tolerates any
 * others, so the producer can add fields without breaking it.
 */
@ApplicationScoped
public class ListingChangedReader {

    /** The CloudEvents type this reader understands. */
    public static final String TYPE = "org.modelmarket.catalog.ListingChanged";

    /** The part of the event's {@code data} billing reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(
            @NotNull UUID listingId,
            @NotBlank String namespace,
            @NotBlank String name,
            String priceType,
            List<String> owners) {}

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
                data.priceType(),
                data.owners() == null ? List.of() : data.owners()));
    }
}
