package org.modelmarket.billing.listing.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import jakarta.validation.Validation;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.modelmarket.billing.listing.service.ListingChanged;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.platform.cloudevents.MalformedEventException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Consumer contract test: this service's reader against catalog-service's example ListingChanged event. */
class ListingChangedReaderTest {

    private final ListingChangedReader reader = new ListingChangedReader(new CloudEventReader(
            new ObjectMapper(),
            Validation.byDefaultProvider()
                    .configure()
                    .messageInterpolator(new ParameterMessageInterpolator())
                    .buildValidatorFactory()
                    .getValidator()));

    @Test
    void readsTheProducersExample() {
        ListingChanged event = reader.read(ListingEvents.fixture()).orElseThrow();

        assertThat(event.listingId()).isEqualTo(UUID.fromString("7d5f8a52-3f2e-4a8b-9a6c-1c2f3e4d5b6a"));
        assertThat(event.eventId()).isNotBlank();
        assertThat(event.aggregateVersion())
                .as("the envelope's aggregateversion")
                .isEqualTo(7);
        assertThat(event.namespace()).isEqualTo("acme");
        assertThat(event.name()).isEqualTo("resnet-50");
        assertThat(event.priceType()).isEqualTo("free");
    }

    @Test
    void toleratesUnknownFields() {
        String withExtras =
                ListingEvents.fixture().replace("\"specversion\"", "\"futurefield\":{\"x\":1},\"specversion\"");

        assertThat(reader.read(withExtras)).isPresent();
    }

    @Test
    void skipsOtherEventTypes() {
        String other = ListingEvents.fixture()
                .replace("org.modelmarket.catalog.ListingChanged", "org.modelmarket.catalog.ListingReviewed");

        assertThat(reader.read(other)).isEmpty();
    }

    @Test
    void refusesUnreadableRecords() {
        assertThatThrownBy(() -> reader.read("not json")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> reader.read("[]")).isInstanceOf(MalformedEventException.class);
        ObjectNode noName = fixtureTree();
        ((ObjectNode) noName.get("data")).remove("name");
        assertThatThrownBy(() -> reader.read(noName.toString()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("data.name");
        ObjectNode badListingId = fixtureTree();
        ((ObjectNode) badListingId.get("data")).put("listingId", "nope");
        assertThatThrownBy(() -> reader.read(badListingId.toString())).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void refusesAnEventWithoutAggregateVersionEvenWithAnEditVersionInItsData() {
        ObjectNode withoutVersion = fixtureTree();
        withoutVersion.remove("aggregateversion");
        assertThat(withoutVersion.at("/data/version").asLong())
                .as("the edit version is still there")
                .isEqualTo(3);

        assertThatThrownBy(() -> reader.read(withoutVersion.toString()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("no aggregateversion");
        ObjectNode textVersion = fixtureTree();
        textVersion.put("aggregateversion", "seven");
        assertThatThrownBy(() -> reader.read(textVersion.toString())).isInstanceOf(MalformedEventException.class);
    }

    /** The producer's example as a tree, so that variants are made on the JSON and not on its formatting. */
    private static ObjectNode fixtureTree() {
        try {
            return (ObjectNode) new ObjectMapper().readTree(ListingEvents.fixture());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
