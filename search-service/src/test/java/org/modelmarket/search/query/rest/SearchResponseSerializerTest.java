package org.modelmarket.search.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.modelmarket.search.index.ListingDocument;
import org.modelmarket.search.index.ListingPage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * {@link SearchResponseSerializer} writes exactly the bytes Jackson's reflective bean serializer writes for the same
 * page: every field, the order, the left-out nulls, escaping and dates. The mapper is configured as Quarkus configures
 * its own (modules found on the class path, dates as ISO-8601 text); {@code SearchQueryTest} checks the same against
 * the service's real answers and Quarkus' own mapper.
 */
class SearchResponseSerializerTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** {@code mapper} without the hand-written serializer: what the bean serializer writes through reflection. */
    static ObjectMapper reflective(ObjectMapper mapper) {
        return mapper.copy().setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public Object findSerializer(Annotated annotated) {
                return annotated.getRawType() == SearchResponse.class ? null : super.findSerializer(annotated);
            }
        });
    }

    private static void assertSameAsReflective(SearchResponse response) throws JsonProcessingException {
        String written = MAPPER.writeValueAsString(response);
        assertThat(written).isEqualTo(reflective(MAPPER).writeValueAsString(response));
    }

    private static SearchItem item(
            String baseModel, String displayName, Instant publishedAt, Map<String, List<String>> highlights) {
        return new SearchItem(
                "acme/whisper-small",
                "5f0c3b1e-6f7a-4e43-9a43-1c1b8e3c2a10",
                "Whisper \"small\" — speech → text",
                "Transcribes <speech> in 99 languages\n\ttab, emoji 🎙️, control \u0001",
                "audio",
                "automatic-speech-recognition",
                "apache-2.0",
                "free",
                List.of("asr", "speech"),
                List.of("en", "de"),
                List.of("pytorch"),
                List.of(),
                baseModel,
                true,
                new ListingDocument.Vendor("acme", displayName, true),
                new ListingDocument.Stats(1_234_567_890_123L, 30, 7, 42, 4.25, 8, 0),
                publishedAt,
                Instant.parse("2026-11-30T18:00:00.123456789Z"),
                highlights);
    }

    @Test
    void aFullPageIsWrittenAsTheBeanSerializerWritesIt() throws JsonProcessingException {
        Map<String, List<String>> highlights = new LinkedHashMap<>();
        highlights.put("title", List.of("<em>Whisper</em> &quot;small&quot;"));
        highlights.put("modelCard", List.of("a", "b"));
        Map<String, List<ListingPage.FacetCount>> facets = new LinkedHashMap<>();
        facets.put("modality", List.of(new ListingPage.FacetCount("audio", 3), new ListingPage.FacetCount("text", 1)));
        facets.put("gated", List.of(new ListingPage.FacetCount("true", 2)));
        facets.put("tags", List.of());

        assertSameAsReflective(new SearchResponse(
                7,
                SearchResponse.EXACT,
                0,
                20,
                "relevance",
                List.of(
                        item("openai/whisper", "Acme", Instant.parse("2026-04-01T00:00:00Z"), highlights),
                        item(null, null, null, null)),
                facets,
                null));
    }

    @Test
    void theNullsOfACursorPageAreLeftOutAsBefore() throws JsonProcessingException {
        assertSameAsReflective(new SearchResponse(
                10_000,
                SearchResponse.AT_LEAST,
                null,
                1,
                "newest",
                List.of(item(null, "Acme", Instant.EPOCH, Map.of("summary", List.of("x")))),
                null,
                "eyJjdXJzb3IiOjF9"));
        assertSameAsReflective(
                new SearchResponse(0, SearchResponse.EXACT, 3, 5, "downloads", List.of(), Map.of(), null));
    }
}
