package org.modelmarket.search.projection;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Our reader's view of the {@code data} of a {@code org.modelmarket.catalog.ListingChanged} CloudEvent (the envelope
 * is the platform's {@code CloudEventReader}'s): only the fields search needs; anything else the producer adds is
 * ignored (tolerant reader).
 */
public final class ListingChangedEvent {

    /** The CloudEvents type this reader understands. */
    public static final String TYPE = "org.modelmarket.catalog.ListingChanged";

    /** The listing's vendor (v2). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Vendor(String namespace, String displayName, Boolean verified) {}

    /** The listing's usage statistics (v2); missing numbers read as 0. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stats(
            Long downloads,
            Long downloads30d,
            Long downloads7d,
            Long likes,
            Double rating,
            Long ratingCount,
            Long subscribers) {}

    /** The listing's full state after the change. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(
            String listingId,
            String id,
            String namespace,
            String name,
            String title,
            String summary,
            String modality,
            String task,
            String license,
            List<String> tags,
            List<String> languages,
            List<String> frameworks,
            List<String> formats,
            List<String> datasets,
            String baseModel,
            Boolean gated,
            String modelCard,
            Vendor vendor,
            Stats stats,
            String priceType,
            String visibility,
            String status,
            Instant createdAt,
            Instant updatedAt,
            Instant publishedAt) {

        /** Whether anonymous users may find this listing: public and published. */
        public boolean searchable() {
            return "public".equals(visibility) && "published".equals(status);
        }
    }

    private ListingChangedEvent() {}
}
