package org.modelmarket.search.projection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds catalog.listings CloudEvents for tests, starting from the example events (v1: the producer's; v2: ours). */
public final class ListingEvents {

    public static final String FIXTURE = "events/listing-changed.json";
    public static final String FIXTURE_V2 = "events/listing-changed-v2.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ListingEvents() {}

    /** The producer's v1 example event, verbatim. */
    public static String fixture() {
        return resource(FIXTURE);
    }

    /** The v2 example event (contract v2). */
    public static String fixtureV2() {
        return resource(FIXTURE_V2);
    }

    private static String resource(String path) {
        try (InputStream in = ListingEvents.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing test fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh listing with a unique id, namespace and marker tag, public and published at version 1. */
    public static Listing newListing(String title, String summary) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return new Listing(
                UUID.randomUUID().toString(),
                "t" + suffix,
                "model",
                title,
                summary,
                "m" + suffix,
                "public",
                "published",
                1,
                Instant.parse("2026-11-22T10:00:00Z"),
                Map.of());
    }

    /**
     * One listing's state at one version; the with-methods give the next states.
     *
     * @param fields further {@code data} fields (v2: stats, formats, vendor…), set over the example event's
     */
    public record Listing(
            String listingId,
            String namespace,
            String name,
            String title,
            String summary,
            String marker,
            String visibility,
            String status,
            long version,
            Instant updatedAt,
            Map<String, Object> fields) {

        public String id() {
            return namespace + "/" + name;
        }

        public Listing withTitle(String newTitle) {
            return new Listing(
                    listingId,
                    namespace,
                    name,
                    newTitle,
                    summary,
                    marker,
                    visibility,
                    status,
                    version,
                    updatedAt,
                    fields);
        }

        public Listing withVisibility(String newVisibility) {
            return new Listing(
                    listingId,
                    namespace,
                    name,
                    title,
                    summary,
                    marker,
                    newVisibility,
                    status,
                    version,
                    updatedAt,
                    fields);
        }

        public Listing withStatus(String newStatus) {
            return new Listing(
                    listingId,
                    namespace,
                    name,
                    title,
                    summary,
                    marker,
                    visibility,
                    newStatus,
                    version,
                    updatedAt,
                    fields);
        }

        public Listing withName(String newName) {
            return new Listing(
                    listingId,
                    namespace,
                    newName,
                    title,
                    summary,
                    marker,
                    visibility,
                    status,
                    version,
                    updatedAt,
                    fields);
        }

        public Listing withMarker(String newMarker) {
            return new Listing(
                    listingId,
                    namespace,
                    name,
                    title,
                    summary,
                    newMarker,
                    visibility,
                    status,
                    version,
                    updatedAt,
                    fields);
        }

        public Listing atVersion(long newVersion) {
            return new Listing(
                    listingId,
                    namespace,
                    name,
                    title,
                    summary,
                    marker,
                    visibility,
                    status,
                    newVersion,
                    updatedAt,
                    fields);
        }

        public Listing updatedAt(Instant instant) {
            return new Listing(
                    listingId, namespace, name, title, summary, marker, visibility, status, version, instant, fields);
        }

        /** Sets a further data field, e.g. {@code with("modality", "text")} or {@code with("stats", Map.of(...))}. */
        public Listing with(String field, Object value) {
            Map<String, Object> next = new LinkedHashMap<>(fields);
            next.put(field, value);
            return new Listing(
                    listingId, namespace, name, title, summary, marker, visibility, status, version, updatedAt, next);
        }

        /** Sets {@code stats}, the other counters 0. */
        public Listing withStats(long downloads, long downloads7d, long likes, double rating, long ratingCount) {
            return with(
                    "stats",
                    Map.of(
                            "downloads",
                            downloads,
                            "downloads30d",
                            downloads,
                            "downloads7d",
                            downloads7d,
                            "likes",
                            likes,
                            "rating",
                            rating,
                            "ratingCount",
                            ratingCount,
                            "subscribers",
                            0));
        }

        /** This state as a structured CloudEvent, the way catalog-service publishes it (contract v2). */
        public String toCloudEvent() {
            try {
                ObjectNode event = (ObjectNode) MAPPER.readTree(fixtureV2());
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
                data.put("modelCard", "");
                // The producer's example has a base model; a test listing has none unless it says so (similar-models
                // tests).
                data.putNull("baseModel");
                data.putArray("tags").add("vision").add(marker);
                data.put("visibility", visibility);
                data.put("status", status);
                data.put("version", version);
                data.put("updatedAt", updatedAt.toString());
                data.set(
                        "vendor",
                        MAPPER.valueToTree(
                                Map.of("namespace", namespace, "displayName", namespace, "verified", false)));
                data.set("stats", MAPPER.valueToTree(Map.of("downloads", 0, "likes", 0, "rating", 0.0)));
                fields.forEach((field, value) -> data.set(field, MAPPER.valueToTree(value)));
                return MAPPER.writeValueAsString(event);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
