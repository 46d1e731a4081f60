package org.modelmarket.search.projection;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.modelmarket.search.index.ListingDocument;

/**
 * Reads a {@code catalog.listings} record (key = listing id, value = structured CloudEvents JSON or null) into the
 * {@link ListingChange} it asks for. Our side of the contract with catalog-service.
 */
@ApplicationScoped
public class CatalogListingReader {

    private final ObjectMapper mapper;

    public CatalogListingReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @throws MalformedEventException if the record is not a readable listing event
     */
    public ListingChange read(String key, String value) {
        if (value == null) {
            if (key == null || key.isBlank()) {
                throw new MalformedEventException("Tombstone without a key");
            }
            return new ListingChange.Delete(key);
        }
        ListingChangedEvent event;
        try {
            event = mapper.readValue(value, ListingChangedEvent.class);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("Not a readable CloudEvent: " + e.getOriginalMessage(), e);
        }
        if (!"1.0".equals(event.specversion())) {
            throw new MalformedEventException("Unsupported CloudEvents specversion " + event.specversion());
        }
        if (!ListingChangedEvent.TYPE.equals(event.type())) {
            return new ListingChange.Ignore(key, event.type());
        }
        ListingChangedEvent.Data data = event.data();
        if (data == null) {
            throw new MalformedEventException("Event " + event.id() + " has no data");
        }
        String listingId = require(data.listingId(), "data.listingId", event);
        if (key != null && !key.equals(listingId)) {
            throw new MalformedEventException("Event " + event.id() + " for listing " + listingId + " arrived under key " + key);
        }
        long version = version(event);
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
                null);
        return new ListingChange.Upsert(listingId, document);
    }

    /** The aggregate version orders a listing's events; the envelope's extension is authoritative, data.version a fallback. */
    private static long version(ListingChangedEvent event) {
        Long version = event.aggregateversion() != null ? event.aggregateversion() : event.data().version();
        if (version == null || version < 1) {
            throw new MalformedEventException("Event " + event.id() + " has no valid aggregateversion");
        }
        return version;
    }

    /** v1 events carry no vendor: the namespace is the vendor then. */
    private static ListingDocument.Vendor vendor(ListingChangedEvent.Vendor vendor, String namespace) {
        if (vendor == null) {
            return new ListingDocument.Vendor(namespace, null, false);
        }
        return new ListingDocument.Vendor(vendor.namespace() != null ? vendor.namespace() : namespace, vendor.displayName(),
                Boolean.TRUE.equals(vendor.verified()));
    }

    private static ListingDocument.Stats stats(ListingChangedEvent.Stats stats) {
        if (stats == null) {
            return ListingDocument.Stats.NONE;
        }
        return new ListingDocument.Stats(orZero(stats.downloads()), orZero(stats.downloads30d()), orZero(stats.downloads7d()),
                orZero(stats.likes()), stats.rating() == null ? 0.0 : stats.rating(), orZero(stats.ratingCount()),
                orZero(stats.subscribers()));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String require(String value, String field, ListingChangedEvent event) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("Event " + event.id() + " lacks " + field);
        }
        return value;
    }
}
