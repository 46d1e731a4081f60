package org.modelmarket.artifact.access.messaging;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.cloudevents.MalformedEventException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This service's reader of billing's {@code EntitlementChanged} (full state of one buyer-listing pair on the compacted
 * {@code billing.entitlements}): takes only what the access projection needs and tolerates other fields.
 */
@ApplicationScoped
public class EntitlementChangedReader {

    /** The CloudEvents type. */
    public static final String TYPE = "org.modelmarket.billing.EntitlementChanged";

    /** The part of {@code data} read here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(
            @NotNull UUID listingId,
            String listing,
            @NotBlank String subject,
            @NotBlank String status,
            String subscriptionStatus,
            Instant expiresAt) {}

    /** One entitlement state with the event's aggregate version. */
    public record Change(String eventId, long aggregateVersion, Data data) {

        /** {@code status} is {@code active} while the buyer may use the listing. */
        public boolean active() {
            return "active".equals(data.status());
        }
    }

    private final CloudEventReader events;

    public EntitlementChangedReader(CloudEventReader events) {
        this.events = events;
    }

    /**
     * Reads one record value.
     *
     * @throws MalformedEventException when it is not a usable {@code EntitlementChanged} state event
     */
    public Change read(String payload) {
        IncomingEvent event = events.readState(payload, TYPE);
        Data data = events.data(event, Data.class);
        if (!"active".equals(data.status()) && !"inactive".equals(data.status())) {
            throw new MalformedEventException(
                    "event " + event.id() + " has status " + data.status() + ", expected active or inactive");
        }
        return new Change(event.id(), event.aggregateVersion(), data);
    }
}
