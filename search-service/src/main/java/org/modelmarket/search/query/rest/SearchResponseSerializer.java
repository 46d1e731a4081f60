package org.modelmarket.search.query.rest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.modelmarket.search.index.ListingDocument;
import org.modelmarket.search.index.ListingPage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a {@link SearchResponse} field by field, as Jackson's reflective bean serializer writes it with Quarkus'
 * default {@code ObjectMapper}: the same fields in the same order, {@code null} properties of {@code SearchResponse}
 * and {@code SearchItem} left out ({@code @JsonInclude(NON_NULL)}), dates in ISO-8601 ({@code Instant.toString()}).
 * Why by hand: writing the page was about a third of the service's CPU per search (profile of 2026-11-30), much of it
 * the bean serializer's per-property work (getters through reflection, inclusion checks, serializer lookups for
 * every list and map). {@code SearchResponseSerializerTest} checks the bytes against the reflective serializer.
 */
final class SearchResponseSerializer extends StdSerializer<SearchResponse> {

    SearchResponseSerializer() {
        super(SearchResponse.class);
    }

    @Override
    public void serialize(SearchResponse response, JsonGenerator json, SerializerProvider provider) throws IOException {
        json.writeStartObject();
        json.writeNumberField("total", response.total());
        stringField(json, "totalRelation", response.totalRelation());
        if (response.page() != null) {
            json.writeNumberField("page", response.page());
        }
        json.writeNumberField("size", response.size());
        stringField(json, "sort", response.sort());
        if (response.items() != null) {
            json.writeArrayFieldStart("items");
            for (SearchItem item : response.items()) {
                item(json, item);
            }
            json.writeEndArray();
        }
        if (response.facets() != null) {
            json.writeObjectFieldStart("facets");
            for (Map.Entry<String, List<ListingPage.FacetCount>> facet :
                    response.facets().entrySet()) {
                json.writeArrayFieldStart(facet.getKey());
                for (ListingPage.FacetCount count : facet.getValue()) {
                    json.writeStartObject();
                    json.writeStringField("value", count.value());
                    json.writeNumberField("count", count.count());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        stringField(json, "nextCursor", response.nextCursor());
        json.writeEndObject();
    }

    private static void item(JsonGenerator json, SearchItem item) throws IOException {
        if (item == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        stringField(json, "id", item.id());
        stringField(json, "listingId", item.listingId());
        stringField(json, "title", item.title());
        stringField(json, "summary", item.summary());
        stringField(json, "modality", item.modality());
        stringField(json, "task", item.task());
        stringField(json, "license", item.license());
        stringField(json, "priceType", item.priceType());
        strings(json, "tags", item.tags());
        strings(json, "languages", item.languages());
        strings(json, "frameworks", item.frameworks());
        strings(json, "formats", item.formats());
        stringField(json, "baseModel", item.baseModel());
        json.writeBooleanField("gated", item.gated());
        ListingDocument.Vendor vendor = item.vendor();
        if (vendor != null) {
            // Vendor and Stats have no @JsonInclude: their null fields are written, as the bean serializer does
            json.writeObjectFieldStart("vendor");
            json.writeStringField("namespace", vendor.namespace());
            json.writeStringField("displayName", vendor.displayName());
            json.writeBooleanField("verified", vendor.verified());
            json.writeEndObject();
        }
        ListingDocument.Stats stats = item.stats();
        if (stats != null) {
            json.writeObjectFieldStart("stats");
            json.writeNumberField("downloads", stats.downloads());
            json.writeNumberField("downloads30d", stats.downloads30d());
            json.writeNumberField("downloads7d", stats.downloads7d());
            json.writeNumberField("likes", stats.likes());
            json.writeNumberField("rating", stats.rating());
            json.writeNumberField("ratingCount", stats.ratingCount());
            json.writeNumberField("subscribers", stats.subscribers());
            json.writeEndObject();
        }
        instantField(json, "publishedAt", item.publishedAt());
        instantField(json, "updatedAt", item.updatedAt());
        if (item.highlights() != null) {
            json.writeObjectFieldStart("highlights");
            for (Map.Entry<String, List<String>> field : item.highlights().entrySet()) {
                strings(json, field.getKey(), field.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void stringField(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void instantField(JsonGenerator json, String name, Instant value) throws IOException {
        if (value != null) {
            // Jackson's InstantSerializer writes DateTimeFormatter.ISO_INSTANT, which is what Instant.toString() is
            json.writeStringField(name, value.toString());
        }
    }

    /** A list of strings; {@code null} entries as {@code null}, a {@code null} list left out (NON_NULL). */
    private static void strings(JsonGenerator json, String name, List<String> values) throws IOException {
        if (values == null) {
            return;
        }
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
