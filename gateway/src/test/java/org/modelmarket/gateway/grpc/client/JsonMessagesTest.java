package org.modelmarket.gateway.grpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.text.ParseException;

import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.FacetCount;
import org.modelmarket.gateway.grpc.v1.FacetedSearchResponse;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.grpc.v1.SearchResult;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;

/**
 * {@link JsonMessages} reads what protobuf's own JSON parser reads, plus the list shape of facets and highlights, and
 * gives the same messages as {@link JsonTrees}, the tree mapping it replaced.
 */
class JsonMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsWhatJsonFormatReads() throws Exception {
        String body = """
                {"listingId":"7d5f8a52-0000-4000-8000-000000000001","id":"acme/tiny","namespace":"acme","name":"tiny",
                 "title":"Tiny","modality":"text","gated":true,"formats":["safetensors","gguf"],"version":"3",
                 "stats":{"downloads":12,"downloads30d":5,"likes":3,"rating":4.5,"ratingCount":2},
                 "price_type":"paid","baseModel":null,"evaluationResults":[{"metric":"accuracy","value":0.9}],
                 "createdAt":"2026-11-22T10:05:00.123456Z","publishedAt":"2026-11-23T00:00:00Z"}""";

        Listing expected = parsedByJsonFormat(body, Listing.newBuilder());
        Listing read = JsonMessages.merge(body, Listing.newBuilder()).build();

        assertThat(read).isEqualTo(expected);
        assertThat(read.getCreatedAt().getNanos()).isEqualTo(123_456_000);
        assertThat(read.getPriceType()).isEqualTo("paid");
        assertThat(read.getVersion()).isEqualTo(3);
    }

    @Test
    void readsFacetAndHighlightListsIntoTheirWrapperMessages() throws Exception {
        String body = """
                {"total":48,"page":0,"size":2,"sort":"downloads",
                 "items":[{"id":"acme/whisper","listingId":"u1","title":"Whisper","tags":["asr"],
                           "stats":{"downloads":9},"updatedAt":"2026-11-22T10:00:00Z",
                           "highlights":{"title":["<em>Whisper</em>"],"summary":["a","b"]}}],
                 "facets":{"modality":[{"value":"audio","count":31},{"value":"text","count":2}],
                           "task":[{"value":"automatic-speech-recognition","count":30}]},
                 "nextCursor":"abc"}""";
        // The same answer in protobuf's own map shape, which JsonFormat reads.
        String wrapped = """
                {"total":48,"page":0,"size":2,"sort":"downloads",
                 "items":[{"id":"acme/whisper","listingId":"u1","title":"Whisper","tags":["asr"],
                           "stats":{"downloads":9},"updatedAt":"2026-11-22T10:00:00Z",
                           "highlights":{"title":{"values":["<em>Whisper</em>"]},"summary":{"values":["a","b"]}}}],
                 "facets":{"modality":{"values":[{"value":"audio","count":31},{"value":"text","count":2}]},
                           "task":{"values":[{"value":"automatic-speech-recognition","count":30}]}},
                 "nextCursor":"abc"}""";

        FacetedSearchResponse read =
                JsonMessages.merge(body, FacetedSearchResponse.newBuilder()).build();

        assertThat(read).isEqualTo(parsedByJsonFormat(wrapped, FacetedSearchResponse.newBuilder()));
        assertThat(read.getFacetsMap().get("modality").getValuesList()).hasSize(2);
        assertThat(read.getItems(0).getHighlightsMap().get("summary").getValuesList())
                .containsExactly("a", "b");
    }

    @Test
    void aRealisticSearchAnswerGivesTheSameMessageAsTheTreeMappingAndJsonFormat() throws Exception {
        // 12 hits with every field search-service writes (vendor, which the proto lacks, included), highlights of
        // three fields, nulls, a hit with fields a later search-service may add, facets of every filter, and
        // top-level fields unknown to the proto.
        String body;
        try (var in = getClass().getResourceAsStream("/grpc/search-answer.json")) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        FacetedSearchResponse read =
                JsonMessages.merge(body, FacetedSearchResponse.newBuilder()).build();

        assertThat(read)
                .isEqualTo(JsonTrees.merge(JSON.readTree(body), FacetedSearchResponse.newBuilder())
                        .build());
        assertThat(read).isEqualTo(parsedByJsonFormat(wrapLists(body), FacetedSearchResponse.newBuilder()));
        // And what that message holds, so the three cannot agree on an empty answer.
        assertThat(read.getItemsCount()).isEqualTo(12);
        assertThat(read.getTotal()).isEqualTo(48);
        assertThat(read.getTotalRelation()).isEqualTo("eq");
        assertThat(read.getFacetsMap()).hasSize(9);
        assertThat(read.getFacetsMap().get("priceType").getValuesList())
                .extracting(FacetCount::getValue, FacetCount::getCount)
                .containsExactly(tuple("free", 20L), tuple("paid", 10L), tuple("subscription", 8L));
        assertThat(read.getFacetsMap().get("tags").getValuesList()).isEmpty();
        SearchResult third = read.getItems(3);
        assertThat(third.getBaseModel()).isEqualTo("openai/whisper-large-v3");
        assertThat(third.getStats().getDownloads()).isEqualTo(3_000_007L);
        assertThat(third.getStats().getRating()).isEqualTo(4.25);
        assertThat(third.getStats().getSubscribers()).isEqualTo(3);
        assertThat(third.getLanguagesList()).containsExactly("en");
        assertThat(third.getFormatsList()).containsExactly("safetensors", "gguf");
        assertThat(third.getSummary()).isEqualTo("Multilingual speech recognition, variant 3 — \"quoted\" & <escaped>");
        assertThat(third.getPublishedAt().getNanos()).isEqualTo(493_824_000);
        assertThat(third.getHighlightsMap().keySet()).containsExactlyInAnyOrder("title", "summary", "modelCard");
        assertThat(third.getHighlightsMap().get("summary").getValuesList())
                .containsExactly("Multilingual <em>speech</em> recognition", "second &lt;fragment&gt;");
        assertThat(read.getItems(4).getSummary()).isEmpty();
        assertThat(read.getItems(5).getHighlightsMap()).isEmpty();
        assertThat(read.getItems(6).getUnknownFields().asMap()).isEmpty();
        assertThat(read.getItems(8).getGated()).isTrue();
    }

    /** The answer in protobuf's own map shape: each facet and highlight list as {@code {"values": [...]}}. */
    private static String wrapLists(String body) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(body);
        wrapEach((ObjectNode) root.get("facets"));
        for (var item : root.get("items")) {
            if (item.get("highlights") != null) {
                wrapEach((ObjectNode) item.get("highlights"));
            }
        }
        return JSON.writeValueAsString(root);
    }

    private static void wrapEach(ObjectNode lists) {
        for (var entry : lists.properties()) {
            entry.setValue(JSON.createObjectNode().set("values", entry.getValue()));
        }
    }

    @Test
    void timesAreReadAsProtobufsOwnParserReadsThem() throws Exception {
        for (String text : new String[] {
            "2026-11-22T10:00:00Z",
            "2026-11-22T10:00:00.1Z",
            "2026-11-22T10:00:00.123Z",
            "2026-11-22T10:00:00.123456Z",
            "2026-11-22T10:00:00.123456789Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "2024-02-29T12:30:45.5Z",
            "2026-11-22T10:00:00+01:00",
            "2026-11-22T10:00:00.25-05:30"
        }) {
            assertThat(JsonMessages.timestamp(text)).as(text).isEqualTo(Timestamps.parse(text));
        }
        for (String text : new String[] {
            "2026-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T10:60:00Z",
            "2026-11-22T10:00:00.Z",
            "2026-11-22T10:00:00.1234567890Z",
            "2026-11-22 10:00:00Z",
            "0000-01-01T00:00:00Z",
            "2026-1x-22T10:00:00Z",
            "yesterday"
        }) {
            // Not the fast form: the same outcome as protobuf's parser, a value or a ParseException.
            Object expected;
            try {
                expected = Timestamps.parse(text);
            } catch (ParseException e) {
                expected = ParseException.class;
            }
            Object read;
            try {
                read = JsonMessages.timestamp(text);
            } catch (ParseException e) {
                read = ParseException.class;
            }
            assertThat(read).as(text).isEqualTo(expected);
        }
    }

    @Test
    void unreadableValuesAreTheServicesFault() {
        for (String body : new String[] {
            "{\"createdAt\":\"yesterday\"}",
            "{\"version\":\"three\"}",
            "{\"version\":92233720368547758070}",
            "{\"formats\":\"gguf\"}",
            "{\"stats\":[1]}",
            "{\"title\":{\"a\":1}}",
            "[]",
            "{\"title\":\"unterminated"
        }) {
            assertThatThrownBy(() -> JsonMessages.merge(body, Listing.newBuilder()))
                    .as(body)
                    .isInstanceOf(DownstreamUnavailableException.class);
        }
    }

    @SuppressWarnings("unchecked")
    private static <M extends com.google.protobuf.Message, B extends com.google.protobuf.Message.Builder>
            M parsedByJsonFormat(String json, B builder) throws Exception {
        JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
        return (M) builder.build();
    }
}
