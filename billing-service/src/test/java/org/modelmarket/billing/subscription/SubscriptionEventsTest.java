package org.modelmarket.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.dimension;
import static org.modelmarket.billing.support.Billing.post;
import static org.modelmarket.billing.support.Billing.subscribe;
import static org.modelmarket.billing.support.Billing.terms;
import static org.modelmarket.billing.support.Billing.vendor;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.modelmarket.billing.support.Billing;
import org.modelmarket.billing.support.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The events billing publishes through the outbox, read back from Kafka: the compacted entitlement state (key
 * {@code <listingId>/<subject>}, {@code aggregateversion} increasing per key, the contract's fields exactly as in the
 * committed example {@code events/entitlement-changed.json}) and the AWS-style notifications.
 */
@QuarkusTest
class SubscriptionEventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void subscribeAndCancelPublishEntitlementStatesAndNotifications() throws Exception {
        String ns = "events-" + UUID.randomUUID().toString().substring(0, 8);
        String owner = "vendor-" + ns;
        UUID listingId = Billing.listing(ns, "model", "paid", owner);
        Billing.price(
                ns + "/model", vendor(owner), terms("EUR", 0, "9.00", List.of(dimension("downloads", "0.10", 1, 5))));
        String subject = "buyer-" + ns;
        String id = subscribe(buyer(subject), ns + "/model", "basic").getString("subscriptionId");
        post(buyer(subject), "/api/v1/subscriptions/" + id + "/cancel").then().statusCode(200);

        String key = listingId + "/" + subject;
        List<ConsumerRecord<String, String>> states = await().atMost(Duration.ofSeconds(30))
                .until(() -> Topics.records("billing.entitlements", key), list -> list.size() >= 2);
        JsonNode first = MAPPER.readTree(states.get(0).value());
        JsonNode second = MAPPER.readTree(states.get(1).value());
        assertThat(first.get("type").asText()).isEqualTo("org.modelmarket.billing.EntitlementChanged");
        assertThat(first.get("subject").asText()).isEqualTo(key);
        assertThat(first.get("aggregateversion").asLong()).isEqualTo(1);
        assertThat(second.get("aggregateversion").asLong()).isEqualTo(2);
        assertThat(first.at("/data/status").asText()).isEqualTo("active");
        assertThat(first.at("/data/subscriptionStatus").asText()).isEqualTo("active");
        assertThat(first.get("data").has("expiresAt"))
                .as("nullable, always present")
                .isTrue();
        assertThat(first.at("/data/expiresAt").isNull()).isTrue();
        assertThat(second.at("/data/subscriptionStatus").asText()).isEqualTo("cancel_pending");
        assertThat(second.at("/data/status").asText()).isEqualTo("active");
        assertThat(second.at("/data/expiresAt").asText()).isNotBlank();
        assertThat(second.at("/data/source").asText()).isEqualTo("subscription");
        assertThat(second.at("/data/listing").asText()).isEqualTo(ns + "/model");
        assertThat(second.at("/data/dimensions/0").asText()).isEqualTo("downloads");
        assertThat(states.get(1).headers().lastHeader("content-type")).isNotNull();

        // Same envelope and data fields as the committed example that consumers test against.
        JsonNode example = example("/events/entitlement-changed.json");
        List<String> envelope = names(second);
        envelope.remove("traceparent"); // present when the request was traced
        // As a set: the outbox stores payloads as jsonb, which keeps no attribute order.
        assertThat(envelope).containsExactlyInAnyOrderElementsOf(names(example));
        assertThat(names(second.get("data"))).containsExactlyInAnyOrderElementsOf(names(example.get("data")));

        List<ConsumerRecord<String, String>> notifications = await().atMost(Duration.ofSeconds(30))
                .until(() -> Topics.records("billing.subscriptions", id), list -> list.size() >= 2);
        List<String> types = new ArrayList<>();
        for (var record : notifications) {
            types.add(MAPPER.readTree(record.value()).get("type").asText());
        }
        assertThat(types)
                .containsExactly(
                        "org.modelmarket.billing.SubscriptionActivated",
                        "org.modelmarket.billing.SubscriptionCancelPending");
        JsonNode notification = MAPPER.readTree(notifications.get(1).value());
        assertThat(names(notification.get("data")))
                .containsExactlyInAnyOrderElementsOf(names(
                        example("/events/subscription-cancel-pending.json").get("data")));
    }

    private static JsonNode example(String path) throws Exception {
        try (InputStream in = SubscriptionEventsTest.class.getResourceAsStream(path)) {
            return MAPPER.readTree(in);
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
