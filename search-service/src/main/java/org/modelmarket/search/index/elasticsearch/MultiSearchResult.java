package org.modelmarket.search.index.elasticsearch;

import java.util.List;
import java.util.Map;

import org.modelmarket.search.index.ListingDocument;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of an Elasticsearch {@code _msearch} response that a page of hits needs, read by Jackson in one pass
 * straight from the response bytes (the typed client's JSON-P deserializers were a large share of the service's CPU
 * per search). Everything else in the response is skipped.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record MultiSearchResult(List<Item> responses) {

    /** One search's answer: hits and aggregations, or an error with its status. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(int status, Error error, Hits hits, Map<String, FacetAggregation> aggregations) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Error(String type, String reason) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Hits(Total total, List<Hit> hits) {}

    /** The hits' count: exact ({@code eq}), or at least {@code value} ({@code gte}) when the count was capped. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Total(long value, String relation) {

        boolean exact() {
            return !"gte".equals(relation);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Hit(@JsonProperty("_source") ListingDocument source, Map<String, List<String>> highlight) {}

    /**
     * A facet: a {@code filter} aggregation around its {@code values} (terms or range) sub-aggregation; or the
     * total's {@code filter} aggregation, of which only the count matters.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FacetAggregation(@JsonProperty("doc_count") long docCount, Values values) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Values(List<Bucket> buckets) {}

    /** A terms bucket (string key; numeric or boolean key with its text form) or a range bucket (its key). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Bucket(
            JsonNode key,
            @JsonProperty("key_as_string") String keyAsString,
            @JsonProperty("doc_count") long docCount) {

        String value() {
            return keyAsString != null ? keyAsString : key.asText();
        }
    }
}
