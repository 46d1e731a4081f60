package org.modelmarket.search.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import jakarta.validation.Validation;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.MalformedEventException;
import org.modelmarket.search.index.ListingDocument;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Contract test: our reader against catalog-service's example event (a verbatim copy of
 * catalog-service/src/test/resources/events/listing-changed.json, copied here as listing-changed-v2.json), plus the records it must refuse or ignore.
 */
class CatalogListingReaderTest {

    private static final String LISTING_ID = "7d5f8a52-3f2e-4a8b-9a6c-1c2f3e4d5b6a";

    private final CatalogListingReader reader = new CatalogListingReader(new CloudEventReader(
            new ObjectMapper().findAndRegisterModules(),
            Validation.byDefaultProvider()
                    .configure()
                    .messageInterpolator(new ParameterMessageInterpolator())
                    .buildValidatorFactory()
                    .getValidator()));

    @Test
    void readsTheProducersExampleEvent() {
        ListingChange change = reader.read(LISTING_ID, ListingEvents.fixture());

        assertThat(change).isInstanceOf(ListingChange.Upsert.class);
        ListingDocument doc = ((ListingChange.Upsert) change).document();
        assertThat(doc.listingId()).isEqualTo(LISTING_ID);
        assertThat(doc.id()).isEqualTo("acme/resnet-50");
        assertThat(doc.namespace()).isEqualTo("acme");
        assertThat(doc.name()).isEqualTo("resnet-50");
        assertThat(doc.title()).isEqualTo("ResNet-50");
        assertThat(doc.summary()).isNotBlank();
        assertThat(doc.modality()).isEqualTo("image");
        assertThat(doc.task()).isEqualTo("image-classification");
        assertThat(doc.license()).isEqualTo("apache-2.0");
        assertThat(doc.priceType()).isEqualTo("free");
        assertThat(doc.tags()).containsExactly("vision", "imagenet");
        assertThat(doc.languages()).containsExactly("en");
        assertThat(doc.frameworks()).containsExactly("pytorch");
        assertThat(doc.visibility()).isEqualTo("public");
        assertThat(doc.status()).isEqualTo("published");
        assertThat(doc.version()).isEqualTo(1);
        assertThat(doc.createdAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123456Z"));
        assertThat(doc.updatedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123456Z"));
        assertThat(doc.searchTerms())
                .as("the words its task, modality and languages are found by, computed here, once, for the index")
                .contains("Image Classification", "computer vision", "English");
    }

    @Test
    void readsTheV2ExampleEvent() {
        ListingChange change = reader.read(LISTING_ID, ListingEvents.fixtureV2());

        ListingDocument doc = ((ListingChange.Upsert) change).document();
        assertThat(doc.version())
                .as("the envelope's aggregateversion, not data.version")
                .isEqualTo(7);
        assertThat(doc.formats()).containsExactly("safetensors", "onnx");
        assertThat(doc.frameworks()).containsExactly("pytorch");
        assertThat(doc.datasets()).containsExactly("imagenet-1k");
        assertThat(doc.baseModel()).isEqualTo("microsoft/resnet-50");
        assertThat(doc.gated()).isFalse();
        assertThat(doc.modelCard()).startsWith("# ResNet-50");
        assertThat(doc.vendor()).isEqualTo(new ListingDocument.Vendor("acme", "ACME AI", true));
        assertThat(doc.stats()).isEqualTo(new ListingDocument.Stats(1234, 210, 48, 17, 4.5, 6, 0));
        assertThat(doc.publishedAt()).isEqualTo(Instant.parse("2026-11-22T09:00:00.123456Z"));
        assertThat(doc.releasedAt()).as("newest = publishedAt").isEqualTo(doc.publishedAt());
        assertThat(doc.updatedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123456Z"));
    }

    @Test
    void v1EventsGetDefaultsForV2Fields() {
        ListingDocument doc = ((ListingChange.Upsert) reader.read(LISTING_ID, ListingEvents.fixture())).document();

        assertThat(doc.stats()).isEqualTo(ListingDocument.Stats.NONE);
        assertThat(doc.vendor().namespace()).isEqualTo("acme");
        assertThat(doc.formats()).isEmpty();
        assertThat(doc.releasedAt()).as("never published: createdAt").isEqualTo(doc.createdAt());
    }

    @Test
    void everyLifecycleStateButPublishedHidesTheListing() {
        ListingEvents.Listing listing =
                ListingEvents.newListing("Title", "Summary").atVersion(5);
        for (String status : new String[] {"draft", "submitted", "rejected", "deprecated", "archived"}) {
            assertThat(reader.read(
                            listing.listingId(), listing.withStatus(status).toCloudEvent()))
                    .as(status)
                    .isEqualTo(new ListingChange.Hide(listing.listingId(), 5));
        }
    }

    @Test
    void aNullValueIsADeletion() {
        assertThat(reader.read(LISTING_ID, null)).isEqualTo(new ListingChange.Delete(LISTING_ID));
    }

    @Test
    void privateOrUnpublishedListingsAreHiddenAtTheirVersion() {
        ListingEvents.Listing listing =
                ListingEvents.newListing("Title", "Summary").atVersion(4);

        assertThat(reader.read(
                        listing.listingId(), listing.withVisibility("private").toCloudEvent()))
                .isEqualTo(new ListingChange.Hide(listing.listingId(), 4));
        assertThat(reader.read(
                        listing.listingId(), listing.withVisibility("unlisted").toCloudEvent()))
                .isEqualTo(new ListingChange.Hide(listing.listingId(), 4));
        String draft = listing.toCloudEvent().replace("\"published\"", "\"draft\"");
        assertThat(reader.read(listing.listingId(), draft)).isEqualTo(new ListingChange.Hide(listing.listingId(), 4));
    }

    @Test
    void otherEventTypesAreIgnored() {
        String other = ListingEvents.fixture()
                .replace("org.modelmarket.catalog.ListingChanged", "org.modelmarket.catalog.ReviewAdded");

        assertThat(reader.read(LISTING_ID, other)).isInstanceOf(ListingChange.Ignore.class);
    }

    @Test
    void unknownFieldsAreTolerated() {
        String extended = ListingEvents.fixture()
                .replace("\"specversion\"", "\"traceparent\": \"00-abc-def-01\", \"specversion\"")
                .replace("\"listingId\"", "\"downloads\": 42, \"listingId\"");

        assertThat(reader.read(LISTING_ID, extended)).isInstanceOf(ListingChange.Upsert.class);
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> reader.read(LISTING_ID, "not json")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> reader.read(LISTING_ID, "{\"specversion\":\"0.3\"}"))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> reader.read("another-key", ListingEvents.fixture()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("another-key");
        assertThatThrownBy(() -> reader.read(LISTING_ID, withoutVersions(ListingEvents.fixture())))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("aggregateversion");
        assertThatThrownBy(() -> reader.read(LISTING_ID, withoutAggregateVersion(ListingEvents.fixture())))
                .as("data.version is the edit counter, never a fallback")
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("aggregateversion");
        assertThatThrownBy(() -> reader.read(
                        LISTING_ID,
                        ListingEvents.fixture()
                                .replaceFirst("\"aggregateversion\"\\s*:\\s*\\d+", "\"aggregateversion\": \"seven\"")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("aggregateversion");
        assertThatThrownBy(() -> reader.read(null, null)).isInstanceOf(MalformedEventException.class);
    }

    private static String withoutAggregateVersion(String event) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = (ObjectNode) mapper.readTree(event);
        node.remove("aggregateversion");
        return mapper.writeValueAsString(node);
    }

    private static String withoutVersions(String event) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = (ObjectNode) mapper.readTree(event);
        node.remove("aggregateversion");
        ((ObjectNode) node.get("data")).remove("version");
        return mapper.writeValueAsString(node);
    }
}
