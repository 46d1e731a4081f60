package org.modelmarket.search.index.elasticsearch;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.modelmarket.search.index.ListingDocument;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads a hit's {@code _source} into a {@link ListingDocument} with one pass over the parser's tokens. Why by hand:
 * reading Elasticsearch's answer was about a quarter of the service's CPU per search (profile of 2026-11-30), most of
 * it Jackson's property-based creator for the 28-component record and its nested records. It builds the same
 * document as the reflective reader (unknown fields skipped, a missing or {@code null} field as Jackson leaves it:
 * {@code null}, {@code false}, {@code 0}); anything not in the shape the index stores (a date as a number, a number
 * as text) goes to Jackson's own deserializers. {@code HitSourceDeserializerTest} checks it against them.
 */
final class HitSourceDeserializer extends StdDeserializer<ListingDocument> {

    HitSourceDeserializer() {
        super(ListingDocument.class);
    }

    @Override
    public ListingDocument deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartObjectToken()) {
            return (ListingDocument) ctxt.handleUnexpectedToken(ListingDocument.class, p);
        }
        String listingId = null, id = null, namespace = null, name = null, title = null, summary = null;
        String modelCard = null, modality = null, task = null, license = null, priceType = null, baseModel = null;
        String visibility = null, status = null;
        List<String> tags = null, languages = null, frameworks = null, formats = null, datasets = null;
        List<String> searchTerms = null;
        boolean gated = false;
        ListingDocument.Vendor vendor = null;
        ListingDocument.Stats stats = null;
        long version = 0;
        Instant createdAt = null, updatedAt = null, publishedAt = null, releasedAt = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case "listingId" -> listingId = string(p, ctxt);
                case "id" -> id = string(p, ctxt);
                case "namespace" -> namespace = string(p, ctxt);
                case "name" -> name = string(p, ctxt);
                case "title" -> title = string(p, ctxt);
                case "summary" -> summary = string(p, ctxt);
                case "modelCard" -> modelCard = string(p, ctxt);
                case "modality" -> modality = string(p, ctxt);
                case "task" -> task = string(p, ctxt);
                case "license" -> license = string(p, ctxt);
                case "priceType" -> priceType = string(p, ctxt);
                case "tags" -> tags = strings(p, ctxt);
                case "languages" -> languages = strings(p, ctxt);
                case "frameworks" -> frameworks = strings(p, ctxt);
                case "formats" -> formats = strings(p, ctxt);
                case "datasets" -> datasets = strings(p, ctxt);
                case "baseModel" -> baseModel = string(p, ctxt);
                case "gated" -> gated = bool(p, ctxt);
                case "vendor" -> vendor = vendor(p, ctxt);
                case "stats" -> stats = stats(p, ctxt);
                case "visibility" -> visibility = string(p, ctxt);
                case "status" -> status = string(p, ctxt);
                case "version" -> version = number(p, ctxt);
                case "createdAt" -> createdAt = instant(p, ctxt);
                case "updatedAt" -> updatedAt = instant(p, ctxt);
                case "publishedAt" -> publishedAt = instant(p, ctxt);
                case "releasedAt" -> releasedAt = instant(p, ctxt);
                case "searchTerms" -> searchTerms = strings(p, ctxt);
                default -> p.skipChildren();
            }
        }
        return new ListingDocument(
                listingId,
                id,
                namespace,
                name,
                title,
                summary,
                modelCard,
                modality,
                task,
                license,
                priceType,
                tags,
                languages,
                frameworks,
                formats,
                datasets,
                baseModel,
                gated,
                vendor,
                stats,
                visibility,
                status,
                version,
                createdAt,
                updatedAt,
                publishedAt,
                releasedAt,
                searchTerms);
    }

    private static String string(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return token == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, String.class);
    }

    private static List<String> strings(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            JavaType type = ctxt.getTypeFactory().constructCollectionType(List.class, String.class);
            return ctxt.readValue(p, type);
        }
        List<String> values = new ArrayList<>();
        for (JsonToken next = p.nextToken(); next != JsonToken.END_ARRAY; next = p.nextToken()) {
            values.add(string(p, ctxt));
        }
        return values;
    }

    private static Instant instant(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            // what the projection writes: Instant.toString(), i.e. ISO_INSTANT, which is what Jackson parses it with
            return Instant.parse(p.getText());
        }
        return token == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Instant.class);
    }

    private static ListingDocument.Vendor vendor(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return p.currentToken() == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, ListingDocument.Vendor.class);
        }
        String namespace = null, displayName = null;
        boolean verified = false;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case "namespace" -> namespace = string(p, ctxt);
                case "displayName" -> displayName = string(p, ctxt);
                case "verified" -> verified = bool(p, ctxt);
                default -> p.skipChildren();
            }
        }
        return new ListingDocument.Vendor(namespace, displayName, verified);
    }

    private static ListingDocument.Stats stats(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return p.currentToken() == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, ListingDocument.Stats.class);
        }
        long downloads = 0, downloads30d = 0, downloads7d = 0, likes = 0, ratingCount = 0, subscribers = 0;
        double rating = 0;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case "downloads" -> downloads = number(p, ctxt);
                case "downloads30d" -> downloads30d = number(p, ctxt);
                case "downloads7d" -> downloads7d = number(p, ctxt);
                case "likes" -> likes = number(p, ctxt);
                case "rating" ->
                    rating = p.currentToken().isNumeric()
                            ? p.getDoubleValue()
                            : p.currentToken() == JsonToken.VALUE_NULL ? 0 : ctxt.readValue(p, Double.class);
                case "ratingCount" -> ratingCount = number(p, ctxt);
                case "subscribers" -> subscribers = number(p, ctxt);
                default -> p.skipChildren();
            }
        }
        return new ListingDocument.Stats(downloads, downloads30d, downloads7d, likes, rating, ratingCount, subscribers);
    }

    private static long number(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        return token == JsonToken.VALUE_NULL ? 0 : ctxt.readValue(p, Long.class);
    }

    private static boolean bool(JsonParser p, DeserializationContext ctxt) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            default -> ctxt.readValue(p, Boolean.class);
        };
    }
}
