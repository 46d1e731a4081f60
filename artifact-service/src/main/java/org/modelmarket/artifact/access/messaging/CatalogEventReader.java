package org.modelmarket.artifact.access.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.cloudevents.MalformedEventException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This service's reader of the two {@code catalog.events} types it uses: {@code TermsAccepted} (a caller accepted a
 * gated listing's terms) and {@code VersionPublished} (a version name now names a commit). Other types are skipped.
 */
@ApplicationScoped
public class CatalogEventReader {

    public static final String TERMS_ACCEPTED = "org.modelmarket.catalog.TermsAccepted";
    public static final String VERSION_PUBLISHED = "org.modelmarket.catalog.VersionPublished";

    /** A caller accepted one version (the sha256 of the text) of a listing's terms. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TermsAccepted(UUID listingId, String subject, String termsVersion, Instant acceptedAt) {}

    /** A version was published naming a commit ({@code commit} is null for versions made before commits existed). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VersionPublished(UUID listingId, String version, String commit) {}

    /** One event this service uses. */
    public record Read(String eventId, Object data) {}

    private final CloudEventReader events;

    public CatalogEventReader(CloudEventReader events) {
        this.events = events;
    }

    /** The event, or empty for types this service does not use. */
    public Optional<Read> read(String payload) {
        IncomingEvent event = events.read(payload);
        return switch (event.type()) {
            case TERMS_ACCEPTED -> {
                TermsAccepted data = events.data(event, TermsAccepted.class);
                if (data.listingId() == null || blank(data.subject()) || blank(data.termsVersion())) {
                    throw new MalformedEventException(
                            "event " + event.id() + " lacks listingId, subject or termsVersion");
                }
                yield Optional.of(new Read(event.id(), data));
            }
            case VERSION_PUBLISHED -> {
                VersionPublished data = events.data(event, VersionPublished.class);
                if (data.listingId() == null || blank(data.version())) {
                    throw new MalformedEventException("event " + event.id() + " lacks listingId or version");
                }
                if (data.commit() != null && !data.commit().matches("[0-9a-f]{40}")) {
                    throw new MalformedEventException(
                            "event " + event.id() + " names commit " + data.commit() + ", not 40 hex digits");
                }
                yield Optional.of(new Read(event.id(), data));
            }
            default -> Optional.empty();
        };
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
