package org.modelmarket.billing.listing.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.listing.service.ListingChanged;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Consumer contract test: this service's reader against catalog-service's example ListingChanged event. */
class ListingChangedReaderTest {

    private final ListingChangedReader reader = new ListingChangedReader(new ObjectMapper());

    @Test
    void readsTheProducersExample() {
        ListingChanged event = reader.read(ListingEvents.fixture()).orElseThrow();

        assertThat(event.listingId()).isEqualTo(UUID.fromString("7d5f8a52-3f2e-4a8b-9a6c-1c2f3e4d5b6a"));
        assertThat(event.eventId()).isNotBlank();
        assertThat(event.aggregateVersion()).isEqualTo(1);
        assertThat(event.namespace()).isEqualTo("acme");
        assertThat(event.name()).isEqualTo("resnet-50");
        assertThat(event.priceType()).isEqualTo("free");
    }

    @Test
    void toleratesUnknownFields() {
        String withExtras = ListingEvents.fixture().replace("\"specversion\"", "\"futurefield\":{\"x\":1},\"specversion\"");

        assertThat(reader.read(withExtras)).isPresent();
    }

    @Test
    void skipsOtherEventTypes() {
        String other = ListingEvents.fixture().replace("org.modelmarket.catalog.ListingChanged",
                "org.modelmarket.catalog.ListingReviewed");

        assertThat(reader.read(other)).isEmpty();
    }

    @Test
    void refusesUnreadableRecords() {
        assertThatThrownBy(() -> reader.read("not json")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> reader.read("[]")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> reader.read(ListingEvents.fixture().replace("\"aggregateversion\": 1,", "")
                .replace("\"version\": 1,", ""))).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> reader.read(ListingEvents.fixture().replace("\"namespace\": \"acme\",", "")))
                .isInstanceOf(MalformedEventException.class);
    }
}
