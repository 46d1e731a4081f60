package org.modelmarket.billing.entitlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.modelmarket.billing.entitlement.service.EntitlementCache;
import org.modelmarket.billing.support.Billing;
import org.modelmarket.billing.support.Topics;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The entitlement cache with several replicas, against real PostgreSQL and Kafka: this replica's own subscription
 * changes are visible at once, and a change committed by another replica (written here straight into the database,
 * as that replica would, with no local invalidation) is visible once its {@code EntitlementChanged} event arrives on
 * {@code billing.entitlements}. Tests keep entries for 10 minutes ({@code %test} max-age), so nothing here can pass
 * by expiry; the max-age bound itself is tested on a controllable ticker in {@code EntitlementCacheTest}.
 */
@QuarkusTest
class EntitlementCacheEventsTest {

    private static final String NS = "cache-acme";
    private static final String VENDOR = "cache-vendor";

    @Inject
    Pool pool;

    @Inject
    EntitlementCache cache;

    @Test
    void aSubscriptionOnThisReplicaIsVisibleAtOnce() {
        String name = "local-" + UUID.randomUUID().toString().substring(0, 8);
        Billing.listing(NS, name, "paid", VENDOR);
        Billing.price(NS + "/" + name, Billing.vendor(VENDOR), Billing.terms("EUR", 0, "10.00", List.of()));
        String buyer = Billing.buyer("cache-local-buyer");
        assertGranted(buyer, name, false);
        long hits = cache.hits();
        assertGranted(buyer, name, false);
        assertThat(cache.hits()).as("the second lookup came from the cache").isGreaterThan(hits);

        Billing.subscribe(buyer, NS + "/" + name, "basic");

        assertGranted(buyer, name, true);
    }

    @Test
    void aChangeOnAnotherReplicaIsVisibleWhenItsEventArrives() {
        String name = "remote-" + UUID.randomUUID().toString().substring(0, 8);
        UUID listingId = Billing.listing(NS, name, "paid", VENDOR);
        String subject = "cache-remote-buyer";
        String buyer = Billing.buyer(subject);
        assertGranted(buyer, name, false);

        // Another replica subscribes the buyer: its transaction writes the entitlement state (and its outbox row).
        Instant now = Instant.now();
        pool.preparedQuery("insert into entitlement (listing_id, subject, version, status, subscription_status,"
                        + " source, dimensions, updated_at) values ($1, $2, 1, 'active', 'active', 'subscription',"
                        + " '[]', now())")
                .execute(Tuple.of(listingId, subject))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertGranted(buyer, name, false); // this replica has not heard of it yet: served from its cache

        // Its outbox relay publishes the change; this replica's consumer may join the topic after the first send
        // (it starts from the latest offset), so the event is sent again until it lands.
        String event = """
                {"specversion":"1.0","id":"%s","source":"/billing-service",
                 "type":"org.modelmarket.billing.EntitlementChanged","subject":"%s/%s","time":"%s",
                 "datacontenttype":"application/json","aggregateversion":1,
                 "data":{"listingId":"%s","listing":"%s/%s","subject":"%s","status":"active",
                  "subscriptionStatus":"active","source":"subscription","expiresAt":null,"dimensions":[],
                  "updatedAt":"%s"}}""".formatted(UUID.randomUUID(), listingId, subject, now, listingId, NS, name, subject, now);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Topics.send("billing.entitlements", listingId + "/" + subject, event);
                    assertGranted(buyer, name, true);
                });

        // The replica's group commits nothing, so Kafka can delete it once the replica is gone.
        String group =
                ConfigProvider.getConfig().getValue("mp.messaging.incoming.entitlement-changes.group.id", String.class);
        assertThat(group).startsWith("billing-service-entitlement-cache-");
        // for longer than the Kafka client's auto-commit interval (5 s), which would have committed the record read;
        // the bound leaves room for slow admin-client polls on a loaded machine (10 s failed once beside builds)
        await().during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(Topics.committedOffsets(group))
                        .as("offsets committed by " + group)
                        .isEmpty());
    }

    private static void assertGranted(String token, String name, boolean granted) {
        given().header("Authorization", token)
                .get("/api/v1/entitlements/" + NS + "/" + name)
                .then()
                .statusCode(200)
                .body("granted", equalTo(granted));
    }
}
