package org.modelmarket.search.projection;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.IncomingEvent;
import org.modelmarket.platform.cloudevents.MalformedEventException;
import org.modelmarket.search.index.ListingDocument;
import org.modelmarket.search.index.SearchTerms;

/**
 * Reads a {@code catalog.listings} record (key = listing id, value = structured CloudEvents JSON or null) into the
 * {@link ListingChange} it asks for. Our side of the contract with catalog-service; the envelope is read by the
 * platform's {@link CloudEventReader}, the data by our own reader record.
 */
@ApplicationScoped
public class CatalogListingReader {

    private final CloudEventReader events;

    public CatalogListingReader(CloudEventReader events) {
        this.events = events;
    }

    /**
     * @throws MalformedEventException (a poison record) if the record is not a readable listing event, including a
     *         {@code ListingChanged} without a numeric {@code aggregateversion}
     */
    public ListingChange read(String key, String value) {
        if (value == null) {
            if (key == null || key.isBlank()) {
                throw new MalformedEventException("Tombstone without a key");
            }
            return new ListingChange.Delete(key);
        }
        IncomingEvent envelope = events.read(value);
        if (!ListingChangedEvent.TYPE.equals(envelope.type())) {
            return new ListingChange.Ignore(key, envelope.type());
        }
        // A state event: the envelope's aggregateversion orders it, and nothing else may (data.version is the
        // listing's edit counter, a different sequence).
        IncomingEvent event = events.readState(value, ListingChangedEvent.TYPE);
        ListingChangedEvent.Data data = events.data(event, ListingChangedEvent.Data.class);
        String listingId = require(data.listingId(), "data.listingId", event);
        if (key != null && !key.equals(listingId)) {
            throw new MalformedEventException(
                    "Event " + event.id() + " for listing " + listingId + " arrived under key " + key);
        }
        long version = event.aggregateVersion();
        if (version < 1) {
            throw new MalformedEventException(
                    "Event " + event.id() + " has aggregateversion " + version + ", expected 1 or more");
        }
        if (!data.searchable()) {
            return new ListingChange.Hide(listingId, version);
        }
        String namespace = require(data.namespace(), "data.namespace", event);
        String name = require(data.name(), "data.name", event);
        ListingDocument document = new ListingDocument(
                listingId,
                data.id() != null ? data.id() : namespace + "/" + name,
                namespace,
                name,
                require(data.title(), "data.title", event),
                data.summary(),
                data.modelCard(),
                data.modality(),
                data.task(),
                data.license(),
                data.priceType(),
                data.tags(),
                data.languages(),
                data.frameworks(),
                data.formats(),
                data.datasets(),
                blankToNull(data.baseModel()),
                Boolean.TRUE.equals(data.gated()),
                vendor(data.vendor(), namespace),
                stats(data.stats()),
                data.visibility(),
                data.status(),
                version,
                data.createdAt(),
                data.updatedAt() != null ? data.updatedAt() : event.time(),
                data.publishedAt(),
                null,
                SearchTerms.of(data.modality(), data.task(), data.languages()));
        return new ListingChange.Upsert(listingId, document);
    }

    /** The CloudEvent's {@code traceparent}, or {@code null} (also for a record that is no readable CloudEvent). */
    public String traceparent(String value) {
        try {
            return value == null ? null : events.read(value).traceparent();
        } catch (MalformedEventException e) {
            return null;
        }
    }

    /** v1 events carry no vendor: the namespace is the vendor then. */
    private static ListingDocument.Vendor vendor(ListingChangedEvent.Vendor vendor, String namespace) {
        if (vendor == null) {
            return new ListingDocument.Vendor(namespace, null, false);
        }
        return new ListingDocument.Vendor(
                vendor.namespace() != null ? vendor.namespace() : namespace,
                vendor.displayName(),
                Boolean.TRUE.equals(vendor.verified()));
    }

    private static ListingDocument.Stats stats(ListingChangedEvent.Stats stats) {
        if (stats == null) {
            return ListingDocument.Stats.NONE;
        }
        return new ListingDocument.Stats(
                orZero(stats.downloads()),
                orZero(stats.downloads30d()),
                orZero(stats.downloads7d()),
                orZero(stats.likes()),
                stats.rating() == null ? 0.0 : stats.rating(),
                orZero(stats.ratingCount()),
                orZero(stats.subscribers()));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String require(String value, String field, IncomingEvent event) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("Event " + event.id() + " lacks " + field);
        }
        return value;
    }
}
