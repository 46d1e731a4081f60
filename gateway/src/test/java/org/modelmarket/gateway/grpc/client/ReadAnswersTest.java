package org.modelmarket.gateway.grpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.GetEntitlementsResponse;
import org.modelmarket.gateway.grpc.v1.ListListingsResponse;
import org.modelmarket.gateway.grpc.v1.ListVersionsResponse;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.grpc.v1.SuggestResponse;

import com.google.protobuf.Field;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.vertx.core.buffer.Buffer;

/**
 * The gRPC reads' answers (catalog's listing signed in, its lists of listings and versions, search's suggestions,
 * billing's entitlements) read by {@link JsonCalls#parse} from the service's bytes give the very message that
 * protobuf's {@link JsonFormat} parser (ignoring unknown fields), which read them before, gives.
 */
class ReadAnswersTest {

    /** A listing as catalog answers a signed-in owner: fields the proto lacks, nulls, every time form catalog writes. */
    private static final String LISTING = """
            {"id":"acme/whisper-small","listingId":"7d5f8a52-0000-4000-8000-000000000001","namespace":"acme",
             "name":"whisper-small","title":"Whisper small — \\"quoted\\" & <escaped> é ü 日本","summary":null,
             "modality":"audio","task":"automatic-speech-recognition","license":"apache-2.0",
             "tags":["asr","speech"],"languages":["en","de"],"frameworks":[],"priceType":"paid",
             "visibility":"public","status":"approved","owners":["alice","bob"],"version":12,
             "createdAt":"2026-11-22T10:05:00.123456Z","updatedAt":"2026-11-23T08:00:00Z",
             "publishedAt":"2026-11-23T00:00:00.5+01:00","modelCard":"# Whisper\\n\\nline two\\t\\u00e9",
             "formats":["safetensors"],"datasets":null,"baseModel":"openai/whisper-small","gated":true,
             "stats":{"downloads":3000000007,"downloads30d":"12","downloads7d":0,"likes":3,"rating":4.25,
                      "ratingCount":2,"subscribers":1,"trending":0.7},
             "exampleUsage":"","pricing":{"plans":[{"id":"basic","price":{"amount":"9.00","currency":"EUR"}}]},
             "moderation":{"notes":[null,{"by":"admin"}]},"draft":false,"extra":[1,[2,{"x":null}]]}""";

    @Test
    void aSignedInListingIsReadAsJsonFormatReadsIt() throws Exception {
        Listing read = sameAsJsonFormat(LISTING, Listing.newBuilder());

        // What the message holds, so that the two cannot agree on an empty one.
        assertThat(read.getTitle()).isEqualTo("Whisper small — \"quoted\" & <escaped> é ü 日本");
        assertThat(read.getSummary()).isEmpty();
        assertThat(read.getOwnersList()).containsExactly("alice", "bob");
        assertThat(read.getStats().getDownloads()).isEqualTo(3_000_000_007L);
        assertThat(read.getStats().getDownloads30D()).isEqualTo(12);
        assertThat(read.getCreatedAt().getNanos()).isEqualTo(123_456_000);
        assertThat(read.getPublishedAt().getSeconds())
                .isEqualTo(java.time.Instant.parse("2026-11-22T23:00:00Z").getEpochSecond());
        assertThat(read.getPublishedAt().getNanos()).isEqualTo(500_000_000);
        assertThat(read.getModelCard()).isEqualTo("# Whisper\n\nline two\té");
        assertThat(read.getGated()).isTrue();
        assertThat(read.getUnknownFields().asMap()).isEmpty();
    }

    @Test
    void pagesOfListingsAndOfVersionsAreReadAsJsonFormatReadsThem() throws Exception {
        String listings = "{\"items\":[" + LISTING + ",{\"id\":\"acme/tiny\",\"version\":\"1\"}],\"page\":0,"
                + "\"size\":20,\"total\":2,\"totalPages\":1,\"first\":true}";
        ListListingsResponse page = sameAsJsonFormat(listings, ListListingsResponse.newBuilder());
        assertThat(page.getItemsCount()).isEqualTo(2);
        assertThat(page.getItems(1).getVersion()).isEqualTo(1);

        String versions = """
                {"items":[
                  {"listing":"acme/whisper-small","version":"1.1.0","releaseNotes":"Faster\\nand smaller",
                   "commit":"0123456789abcdef","status":"published","createdBy":"alice",
                   "createdAt":"2026-11-20T09:00:00.000001Z","publishedAt":"2026-11-21T09:00:00Z",
                   "files":[{"path":"model.bin","size":10}],"listingId":"7d5f8a52"},
                  {"listing":"acme/whisper-small","version":"1.2.0-rc.1","releaseNotes":null,"commit":null,
                   "status":"draft","createdBy":"bob","createdAt":"2026-11-22T09:00:00Z","publishedAt":null}],
                 "page":1,"size":2,"total":"3"}""";
        ListVersionsResponse read = sameAsJsonFormat(versions, ListVersionsResponse.newBuilder());
        assertThat(read.getItems(0).getCreatedAt().getNanos()).isEqualTo(1_000);
        assertThat(read.getItems(1).hasPublishedAt()).isFalse();
        assertThat(read.getTotal()).isEqualTo(3);
    }

    @Test
    void suggestionsAndEntitlementsAreReadAsJsonFormatReadsThem() throws Exception {
        String suggestions = """
                {"items":[{"id":"acme/whisper-small","listingId":"u1","title":"Whisper","modality":"audio",
                           "task":"asr","score":3.5,"highlight":"<em>Whisp</em>er"},
                          {"id":"acme/whisper-large","listing_id":"u2","title":null}],"took":2}""";
        SuggestResponse read = sameAsJsonFormat(suggestions, SuggestResponse.newBuilder());
        assertThat(read.getItems(1).getListingId()).isEqualTo("u2");

        String entitlements = """
                {"entitlements":[
                  {"listing":"acme/whisper-small","listingId":"u1","customerIdentifier":"bob","dimension":"access",
                   "value":{"booleanValue":true},"status":"active","subscriptionStatus":"trialing","source":"plan",
                   "expirationDate":"2026-12-22T00:00:00Z","updatedAt":"2026-11-22T10:00:00.123Z"},
                  {"listing":"acme/whisper-small","dimension":"tokens","value":{"integerValue":"0"},
                   "expirationDate":null}],
                 "nextToken":null,"count":2}""";
        GetEntitlementsResponse entitled = sameAsJsonFormat(entitlements, GetEntitlementsResponse.newBuilder());
        // Presence of an optional field set to its default survives, as with JsonFormat.
        assertThat(entitled.getEntitlements(1).getValue().hasIntegerValue()).isTrue();
        assertThat(entitled.getEntitlements(1).getValue().hasBooleanValue()).isFalse();
    }

    @Test
    void enumsByNameByNumberAndUnknownAreReadAsJsonFormatReadsThem() throws Exception {
        // marketplace.v1 has no enums yet (statuses are strings); protobuf's own Field message has two.
        Field byName = sameAsJsonFormat(
                "{\"kind\":\"TYPE_STRING\",\"cardinality\":\"CARDINALITY_REPEATED\",\"number\":3,\"name\":\"x\"}",
                Field.newBuilder());
        assertThat(byName.getKind()).isEqualTo(Field.Kind.TYPE_STRING);
        Field byNumber = sameAsJsonFormat(
                "{\"kind\":9,\"cardinality\":\"3\",\"options\":[{\"name\":\"o\"}]}", Field.newBuilder());
        assertThat(byNumber.getCardinality()).isEqualTo(Field.Cardinality.CARDINALITY_REPEATED);
        Field unknown =
                sameAsJsonFormat("{\"kind\":\"TYPE_LATER\",\"cardinality\":77,\"name\":\"y\"}", Field.newBuilder());
        assertThat(unknown.getKindValue()).isZero();
        assertThat(unknown.getCardinalityValue()).isEqualTo(77);
    }

    @SuppressWarnings("unchecked")
    private static <M extends Message> M sameAsJsonFormat(String json, Message.Builder builder) throws Exception {
        Message.Builder expected = builder.clone();
        JsonFormat.parser().ignoringUnknownFields().merge(json, expected);
        M read = (M) JsonCalls.parse(Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)), builder)
                .build();
        assertThat(read).isEqualTo(expected.build());
        assertThat(read.toByteString()).isEqualTo(expected.build().toByteString());
        return read;
    }
}
