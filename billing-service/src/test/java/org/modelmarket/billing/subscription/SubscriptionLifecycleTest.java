package org.modelmarket.billing.subscription;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.billing.support.Billing.ADMIN;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.dimension;
import static org.modelmarket.billing.support.Billing.get;
import static org.modelmarket.billing.support.Billing.post;
import static org.modelmarket.billing.support.Billing.subscribe;
import static org.modelmarket.billing.support.Billing.terms;
import static org.modelmarket.billing.support.Billing.vendor;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.subscription.service.SubscriptionScheduler;
import org.modelmarket.billing.support.Billing;
import org.modelmarket.billing.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every subscription transition and the forbidden ones, against real PostgreSQL, with time moved by the test clock and
 * the scheduler's rounds run by the test ({@link SubscriptionScheduler#tick()}; its timer is off in tests).
 */
@QuarkusTest
class SubscriptionLifecycleTest {

    @Inject
    TestClock clock;

    @Inject
    SubscriptionScheduler scheduler;

    @Inject
    Pool pool;

    private final String ns = "life-" + UUID.randomUUID().toString().substring(0, 8);
    private final String owner = "vendor-" + ns;

    private String listing(String name, int trialDays, String price) {
        Billing.listing(ns, name, "paid", owner);
        String coordinates = ns + "/" + name;
        Billing.price(
                coordinates,
                vendor(owner),
                terms("EUR", trialDays, price, List.of(dimension("gpu_hours", "0.50", 1, 10))));
        return coordinates;
    }

    @Test
    void aTrialConvertsToActiveAtItsEndAndIsChargedFromThen() {
        String listing = listing("trial-model", 7, "10.00");
        String alice = buyer("alice-" + ns);
        Instant start = clock.instant();

        JsonPath subscription = subscribe(alice, listing, "basic");
        String id = subscription.getString("subscriptionId");
        assertThat(subscription.getString("status")).isEqualTo("trial");
        assertThat(subscription.getString("termsVersion")).isEqualTo("eula-v3");
        assertThat(Instant.parse(subscription.getString("termsAcceptedAt"))).isEqualTo(start);
        assertThat(Instant.parse(subscription.getString("trialEndsAt"))).isEqualTo(start.plus(Duration.ofDays(7)));
        assertThat(granted(alice, listing)).isTrue();
        assertThat(charges(id)).as("trials are free").isEmpty();

        clock.advance(Duration.ofDays(6));
        tick();
        assertThat(get(alice, "/api/v1/subscriptions/" + id).getString("status"))
                .isEqualTo("trial");

        clock.advance(Duration.ofDays(2));
        tick();
        JsonPath converted = get(alice, "/api/v1/subscriptions/" + id);
        assertThat(converted.getString("status")).isEqualTo("active");
        Instant trialEnd = start.plus(Duration.ofDays(7));
        assertThat(Instant.parse(converted.getString("periodStart"))).isEqualTo(trialEnd);
        assertThat(Instant.parse(converted.getString("periodEnd")))
                .isEqualTo(trialEnd.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant());
        assertThat(charges(id)).containsExactly(List.of("subscription_fee", 1000L, trialEnd.toString()));
        assertThat(granted(alice, listing)).isTrue();
    }

    @Test
    void renewalsCatchUpAfterDowntimeOnePeriodAtATimeAndOnlyOnceWithTwoSchedulers() {
        String listing = listing("renewing", 0, "25.00");
        String bob = buyer("bob-" + ns);
        Instant start = clock.instant();
        String id = subscribe(bob, listing, "basic").getString("subscriptionId");
        assertThat(charges(id)).hasSize(1);

        // Down for three months and a day: three renewals are due. Two replicas run their rounds at once.
        clock.advance(Duration.ofDays(31 + 30 + 31 + 1));
        Instant now = clock.instant();
        CompletableFuture<Void> one = CompletableFuture.runAsync(this::tick);
        CompletableFuture<Void> two = CompletableFuture.runAsync(this::tick);
        one.join();
        two.join();

        List<List<Object>> charged = charges(id);
        List<Instant> starts = new ArrayList<>();
        Instant period = start;
        while (!period.isAfter(now)) {
            starts.add(period);
            period = period.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        }
        assertThat(charged)
                .extracting(c -> c.get(2))
                .containsExactlyElementsOf(
                        starts.stream().map(Instant::toString).toList());
        assertThat(charged).allSatisfy(c -> assertThat(c.get(1)).isEqualTo(2500L));
        JsonPath renewed = get(bob, "/api/v1/subscriptions/" + id);
        assertThat(renewed.getString("status")).isEqualTo("active");
        assertThat(Instant.parse(renewed.getString("periodStart"))).isEqualTo(starts.get(starts.size() - 1));
    }

    @Test
    void cancelResumeCancelThenEndsAtPeriodEndAndAccessIsRefused() {
        String listing = listing("cancelling", 0, "5.00");
        String carol = buyer("carol-" + ns);
        JsonPath subscription = subscribe(carol, listing, "basic");
        String id = subscription.getString("subscriptionId");
        Instant periodEnd = Instant.parse(subscription.getString("periodEnd"));

        assertThat(post(carol, "/api/v1/subscriptions/" + id + "/cancel")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("status"))
                .isEqualTo("cancel_pending");
        assertThat(granted(carol, listing)).as("usable until the period ends").isTrue();
        assertThat(post(carol, "/api/v1/subscriptions/" + id + "/resume")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("status"))
                .isEqualTo("active");
        post(carol, "/api/v1/subscriptions/" + id + "/cancel").then().statusCode(200);

        clock.moveTo(periodEnd.plusSeconds(1));
        tick();
        JsonPath ended = get(carol, "/api/v1/subscriptions/" + id);
        assertThat(ended.getString("status")).isEqualTo("cancelled");
        assertThat(Instant.parse(ended.getString("endedAt"))).isEqualTo(periodEnd);
        assertThat(granted(carol, listing)).isFalse();
        assertThat(charges(id)).as("no renewal after a cancellation").hasSize(1);

        // A cancelled subscription does not come back, and the buyer may subscribe again (no second trial).
        forbidden(carol, "/api/v1/subscriptions/" + id + "/resume");
        forbidden(carol, "/api/v1/subscriptions/" + id + "/cancel");
        changePlan(carol, id, "basic").then().statusCode(409);
        assertThat(subscribe(carol, listing, "basic").getString("status")).isEqualTo("active");
    }

    @Test
    void forbiddenTransitionsAre409AndChangeNothing() {
        String listing = listing("forbidden", 3, "5.00");
        String dave = buyer("dave-" + ns);
        String id = subscribe(dave, listing, "basic").getString("subscriptionId");
        long version = get(dave, "/api/v1/subscriptions/" + id).getLong("version");

        forbidden(dave, "/api/v1/subscriptions/" + id + "/resume"); // trial → resume
        var again = Billing.subscribeResponse(dave, listing, "basic", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.jsonPath().getString("type")).endsWith("/already-subscribed");

        JsonPath after = get(dave, "/api/v1/subscriptions/" + id);
        assertThat(after.getLong("version")).isEqualTo(version);
        assertThat(after.getString("status")).isEqualTo("trial");
        assertThat(count("select count(*) from subscription where buyer = $1", "dave-" + ns))
                .isEqualTo(1);

        // Cancel in the trial: it ends with the trial, never charged, never converted.
        post(dave, "/api/v1/subscriptions/" + id + "/cancel").then().statusCode(200);
        changePlan(dave, id, "basic").then().statusCode(409);
        clock.advance(Duration.ofDays(4));
        tick();
        assertThat(get(dave, "/api/v1/subscriptions/" + id).getString("status")).isEqualTo("cancelled");
        assertThat(charges(id)).isEmpty();
    }

    @Test
    void aPlanChangeCreditsTheUnusedPartAndChargesTheNewPlan() {
        Billing.listing(ns, "tiers", "paid", owner);
        String listing = ns + "/tiers";
        Billing.price(
                listing,
                vendor(owner),
                Map.of(
                        "currency",
                        "EUR",
                        "trialDays",
                        0,
                        "plans",
                        List.of(
                                Map.of("code", "basic", "period", "month", "price", "30.00"),
                                Map.of("code", "pro", "period", "year", "price", "900.00")),
                        "dimensions",
                        List.of()));
        String erin = buyer("erin-" + ns);
        JsonPath subscription = subscribe(erin, listing, "basic");
        String id = subscription.getString("subscriptionId");
        Instant start = Instant.parse(subscription.getString("periodStart"));
        Instant end = Instant.parse(subscription.getString("periodEnd"));

        clock.advance(Duration.ofDays(10).plusHours(5));
        Instant now = clock.instant();
        JsonPath changed =
                changePlan(erin, id, "pro").then().statusCode(200).extract().jsonPath();
        assertThat(changed.getString("plan")).isEqualTo("pro");
        assertThat(Instant.parse(changed.getString("periodStart"))).isEqualTo(now);
        assertThat(Instant.parse(changed.getString("periodEnd")))
                .isEqualTo(now.atOffset(ZoneOffset.UTC).plusYears(1).toInstant());

        // 30.00 × remaining / period, rounded once, half-even, to the cent.
        long remaining = Duration.between(now, end).toMillis();
        long total = Duration.between(start, end).toMillis();
        long credit = new java.math.BigDecimal("3000")
                .multiply(java.math.BigDecimal.valueOf(remaining))
                .divide(java.math.BigDecimal.valueOf(total), 0, java.math.RoundingMode.HALF_EVEN)
                .longValueExact();
        assertThat(charges(id))
                .containsExactly(
                        List.of("subscription_fee", 3000L, start.toString()),
                        List.of("proration_credit", -credit, now.toString()),
                        List.of("subscription_fee", 90000L, now.toString()));

        changePlan(erin, id, "pro").then().statusCode(400);
        changePlan(erin, id, "platinum").then().statusCode(400);
        assertThat(charges(id)).hasSize(3);
    }

    @Test
    void aPrivateOfferIsSeenOnlyByItsBuyerAndAcceptedOnce() {
        String listing = listing("offered", 0, "100.00");
        String frank = "frank-" + ns;
        String offerId = given().header("Authorization", vendor(owner))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "listing",
                        listing,
                        "buyer",
                        frank,
                        "expiresAt",
                        clock.instant().plus(Duration.ofDays(10)).toString(),
                        "terms",
                        terms("EUR", 0, "60.00", List.of())))
                .post("/api/v1/offers")
                .then()
                .statusCode(201)
                .extract()
                .path("offerId");

        assertThat(get(buyer(frank), "/api/v1/offers/" + offerId).getString("status"))
                .isEqualTo("open");
        given().header("Authorization", buyer("grace-" + ns))
                .get("/api/v1/offers/" + offerId)
                .then()
                .statusCode(404);
        given().header("Authorization", vendor("other-vendor"))
                .get("/api/v1/offers/" + offerId)
                .then()
                .statusCode(404);
        assertThat(get(buyer("grace-" + ns), "/api/v1/offers").getList("offerId"))
                .doesNotContain(offerId);
        assertThat(get(buyer(frank), "/api/v1/offers").getList("offerId")).contains(offerId);
        assertThat(get(ADMIN, "/api/v1/offers").getList("offerId")).contains(offerId);
        // Not visible as public pricing either.
        assertThat(get(buyer("grace-" + ns), "/api/v1/listings/" + listing + "/pricing")
                        .getString("terms.plans[0].price"))
                .isEqualTo("100.00");

        Billing.subscribeResponse(buyer("grace-" + ns), listing, "basic", UUID.fromString(offerId))
                .then()
                .statusCode(404);
        var accepted = Billing.subscribeResponse(buyer(frank), listing, "basic", UUID.fromString(offerId));
        assertThat(accepted.statusCode()).isEqualTo(201);
        assertThat(accepted.jsonPath().getString("source")).isEqualTo("private-offer");
        assertThat(charges(accepted.jsonPath().getString("subscriptionId")))
                .containsExactly(
                        List.of("subscription_fee", 6000L, accepted.jsonPath().getString("periodStart")));
        assertThat(get(buyer(frank), "/api/v1/offers/" + offerId).getString("status"))
                .isEqualTo("accepted");
    }

    /** One scheduler run, on a Vert.x context as the timer runs it. */
    private void tick() {
        try {
            VertxContextSupport.subscribeAndAwait(() -> scheduler.tick());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static io.restassured.response.Response changePlan(String token, String id, String plan) {
        return given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(Map.of("plan", plan))
                .post("/api/v1/subscriptions/" + id + "/plan");
    }

    private static void forbidden(String token, String path) {
        var response = post(token, path);
        assertThat(response.statusCode()).as(path).isEqualTo(409);
        assertThat(response.jsonPath().getString("type")).endsWith("/transition-not-allowed");
    }

    private static boolean granted(String token, String listing) {
        return get(token, "/api/v1/entitlements/" + listing).getBoolean("granted");
    }

    /** (kind, amount, charged at) of a subscription's charges, oldest first. */
    private List<List<Object>> charges(String subscriptionId) {
        List<List<Object>> result = new ArrayList<>();
        for (Row row : pool.preparedQuery("select kind, amount_minor, charged_at from charge where subscription_id = $1"
                        + " order by charged_at, amount_minor")
                .execute(Tuple.of(UUID.fromString(subscriptionId)))
                .await()
                .atMost(Duration.ofSeconds(10))) {
            result.add(List.of(
                    row.getString(0),
                    row.getLong(1),
                    row.getOffsetDateTime(2).toInstant().toString()));
        }
        return result;
    }

    private long count(String sql, Object parameter) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(parameter))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }
}
