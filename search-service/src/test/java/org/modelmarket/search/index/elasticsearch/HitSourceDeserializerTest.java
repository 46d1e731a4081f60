package org.modelmarket.search.index.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modelmarket.search.index.ListingDocument;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link HitSourceDeserializer} reads a hit's {@code _source} into the very document Jackson's reflective record
 * reader makes of it: all fields, a hit list's and a suggestion's subsets, nulls, unknown fields, and the shapes it
 * hands to Jackson (a date as a number, numbers and booleans as text).
 */
class HitSourceDeserializerTest {

    private static final ObjectMapper JSON =
            new ObjectMapper().findAndRegisterModules().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParameterizedTest
    @ValueSource(
            strings = {
                // every field the index stores
                """
                {"listingId": "u1", "id": "acme/whisper-small", "namespace": "acme", "name": "whisper-small",
                 "title": "Whisper \\"small\\" \\u00e9 🎙", "summary": "Speech\\nto text", "modelCard": "# Card",
                 "modality": "audio", "task": "automatic-speech-recognition", "license": "apache-2.0",
                 "priceType": "free", "tags": ["asr", "speech"], "languages": ["en", "de"], "frameworks": ["pytorch"],
                 "formats": [], "datasets": ["librispeech"], "baseModel": "openai/whisper", "gated": true,
                 "vendor": {"namespace": "acme", "displayName": "ACME AI", "verified": true, "extra": [1, {"a": 2}]},
                 "stats": {"downloads": 1234567890123, "downloads30d": 30, "downloads7d": 7, "likes": 42,
                           "rating": 4.25, "ratingCount": 8, "subscribers": 3, "future": {"x": 1}},
                 "visibility": "public", "status": "published", "version": 17,
                 "createdAt": "2026-01-02T03:04:05Z", "updatedAt": "2026-11-30T18:00:00.123456789Z",
                 "publishedAt": "2026-04-01T00:00:00Z", "releasedAt": "2026-04-01T00:00:00Z",
                 "searchTerms": ["asr", "speech recognition"], "unknown": {"deep": [1, 2, {"x": null}]}}
                """,
                // a hit list's _source (ListingRequests.HIT_SOURCE), in Elasticsearch's order
                """
                {"summary": "Small", "formats": ["safetensors"], "gated": false, "languages": [],
                 "title": "Whisper", "frameworks": ["pytorch"], "license": "mit", "updatedAt": "2026-11-22T10:05:00Z",
                 "tags": ["asr"], "task": "automatic-speech-recognition", "modality": "audio",
                 "stats": {"downloads30d": 0, "rating": 0.0, "likes": 1, "ratingCount": 0, "downloads7d": 0,
                           "downloads": 5, "subscribers": 0},
                 "listingId": "u1", "priceType": "free", "id": "acme/whisper",
                 "vendor": {"verified": false, "namespace": "acme", "displayName": null}}
                """,
                // a suggestion's _source (ListingRequests.SUGGEST_SOURCE)
                """
                {"listingId": "u2", "id": "acme/tts", "namespace": "acme", "name": "tts", "title": "TTS",
                 "modality": "audio", "task": "text-to-speech"}
                """,
                // nulls everywhere
                """
                {"listingId": null, "id": null, "tags": null, "gated": null, "vendor": null, "stats": null,
                 "publishedAt": null, "updatedAt": null, "version": null, "baseModel": null}
                """,
                // shapes left to Jackson: a date as epoch seconds, numbers and booleans as text
                """
                {"id": "a/b", "createdAt": 1764525600, "publishedAt": 1764525600.5,
                 "stats": {"downloads": "12", "rating": "3.5"}, "version": "4", "gated": "true"}
                """,
                "{}"
            })
    void readsTheDocumentJacksonsRecordReaderReads(String source) throws Exception {
        ListingDocument reflective = JSON.readValue(source, ListingDocument.class);

        MultiSearchResult.Hit hit = JSON.readValue(
                "{\"_source\": " + source + ", \"highlight\": {\"title\": [\"<em>x</em>\"]}}",
                MultiSearchResult.Hit.class);

        assertThat(hit.source()).isEqualTo(reflective);
        assertThat(hit.highlight()).containsOnlyKeys("title");
    }
}
