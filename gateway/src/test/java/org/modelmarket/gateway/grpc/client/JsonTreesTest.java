package org.modelmarket.gateway.grpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.FacetedSearchResponse;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;

/** {@link JsonTrees} reads what protobuf's own JSON parser reads, plus the list shape of facets and highlights. */
class JsonTreesTest {

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
        Listing read =
                JsonTrees.merge(JSON.readTree(body), Listing.newBuilder()).build();

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

        FacetedSearchResponse read = JsonTrees.merge(JSON.readTree(body), FacetedSearchResponse.newBuilder())
                .build();

        assertThat(read).isEqualTo(parsedByJsonFormat(wrapped, FacetedSearchResponse.newBuilder()));
        assertThat(read.getFacetsMap().get("modality").getValuesList()).hasSize(2);
        assertThat(read.getItems(0).getHighlightsMap().get("summary").getValuesList())
                .containsExactly("a", "b");
    }

    @Test
    void unreadableValuesAreTheServicesFault() {
        assertThatThrownBy(() -> JsonTrees.merge(JSON.readTree("{\"createdAt\":\"yesterday\"}"), Listing.newBuilder()))
                .isInstanceOf(DownstreamUnavailableException.class);
        assertThatThrownBy(() -> JsonTrees.merge(JSON.readTree("{\"version\":\"three\"}"), Listing.newBuilder()))
                .isInstanceOf(DownstreamUnavailableException.class);
    }

    @SuppressWarnings("unchecked")
    private static <M extends com.google.protobuf.Message, B extends com.google.protobuf.Message.Builder>
            M parsedByJsonFormat(String json, B builder) throws Exception {
        JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
        return (M) builder.build();
    }
}
