package org.modelmarket.search.projection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds catalog.listings CloudEvents for tests, starting from the producer's example event. */
public final class ListingEvents {

    public static final String FIXTURE = "events/listing-changed.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ListingEvents() {
    }

    /** The producer's example event, verbatim. */
    public static String fixture() {
        try (InputStream in = ListingEvents.class.getClassLoader().getResourceAsStream(FIXTURE)) {
            if (in == null) {
                throw new IllegalStateException("Missing test fixture " + FIXTURE);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh listing with a unique id, namespace and marker tag, public and published at version 1. */
    public static Listing newListing(String title, String summary) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return new Listing(UUID.randomUUID().toString(), "t" + suffix, "model", title, summary, "m" + suffix,
                "public", "published", 1, Instant.parse("2026-11-22T10:00:00Z"));
    }

    /** One listing's state at one version; the with-methods give the next states. */
    public record Listing(String listingId, String namespace, String name, String title, String summary, String marker,
            String visibility, String status, long version, Instant updatedAt) {

        public String id() {
            return namespace + "/" + name;
        }

        public Listing withTitle(String newTitle) {
            return new Listing(listingId, namespace, name, newTitle, summary, marker, visibility, status, version, updatedAt);
        }

        public Listing withVisibility(String newVisibility) {
            return new Listing(listingId, namespace, name, title, summary, marker, newVisibility, status, version, updatedAt);
        }

        public Listing atVersion(long newVersion) {
            return new Listing(listingId, namespace, name, title, summary, marker, visibility, status, newVersion, updatedAt);
        }

        public Listing updatedAt(Instant instant) {
            return new Listing(listingId, namespace, name, title, summary, marker, visibility, status, version, instant);
        }

        /** This state as a structured CloudEvent, the way catalog-service publishes it. */
        public String toCloudEvent() {
            try {
                ObjectNode event = (ObjectNode) MAPPER.readTree(fixture());
                event.put("id", UUID.randomUUID().toString());
                event.put("subject", listingId);
                event.put("aggregateversion", version);
                event.put("time", updatedAt.toString());
                ObjectNode data = (ObjectNode) event.get("data");
                data.put("listingId", listingId);
                data.put("id", id());
                data.put("namespace", namespace);
                data.put("name", name);
                data.put("title", title);
                data.put("summary", summary);
                data.putArray("tags").add("vision").add(marker);
                data.put("visibility", visibility);
                data.put("status", status);
                data.put("version", version);
                data.put("updatedAt", updatedAt.toString());
                return MAPPER.writeValueAsString(event);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
