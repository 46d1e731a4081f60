package org.modelmarket.billing.pricing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.dimension;
import static org.modelmarket.billing.support.Billing.get;
import static org.modelmarket.billing.support.Billing.subscribe;
import static org.modelmarket.billing.support.Billing.terms;
import static org.modelmarket.billing.support.Billing.vendor;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.support.Billing;
import org.modelmarket.billing.support.Runs;
import org.modelmarket.billing.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Effective-dated pricing on the test clock: a future version stays out of force until its date, then prices new
 * subscriptions at once and existing ones from their next period; usage is priced with the version in force for the
 * subscription when it happened (a late record included); an invoice issued before the change never changes.
 */
@QuarkusTest
class PricingVersionsTest {

    @Inject
    TestClock clock;

    @Inject
    Runs runs;

    private final String ns = "versions-" + UUID.randomUUID().toString().substring(0, 8);
    private final String owner = "vendor-" + ns;
    private final String listing = ns + "/model";

    @Test
    void aFutureVersionAppliesFromItsDateToNewPeriodsAndUsageKeepsTheVersionOfItsTime() {
        // Start on the 2nd of a fresh month at midnight, so that every step below falls in a known month.
        YearMonth first =
                YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)).plusMonths(1);
        Instant start = first.atDay(2).atStartOfDay().toInstant(ZoneOffset.UTC);
        clock.moveTo(start);
        Billing.listing(ns, "model", "paid", owner);
        String v1 = Billing.price(
                        listing,
                        vendor(owner),
                        terms("EUR", 0, "10.00", List.of(dimension("inference_requests", "1.00", 1, 0))))
                .getString("pricingId");
        String alice = "alice-" + ns;
        String subscription = subscribe(buyer(alice), listing, "basic").getString("subscriptionId");

        // A price change announced for three days from now.
        Instant effective = start.plus(Duration.ofDays(3));
        String v2 = given().header("Authorization", vendor(owner))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "effectiveFrom",
                        effective.toString(),
                        "terms",
                        terms("EUR", 0, "20.00", List.of(dimension("inference_requests", "2.00", 1, 0)))))
                .post("/api/v1/listings/" + listing + "/pricing")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("pricingId");
        assertThat(get(buyer(alice), "/api/v1/listings/" + listing + "/pricing").getString("pricingId"))
                .as("not in force before its date")
                .isEqualTo(v1);
        assertThat(given().get("/api/v1/listings/" + listing + "/pricing/versions")
                        .jsonPath()
                        .getList("pricingId"))
                .containsExactly(v2, v1);
        meter(alice, 3, clock.instant());

        clock.moveTo(effective.minusMillis(1));
        assertThat(given().get("/api/v1/listings/" + listing + "/pricing")
                        .jsonPath()
                        .getString("pricingId"))
                .isEqualTo(v1);
        clock.moveTo(effective.plus(Duration.ofDays(1)));
        assertThat(given().get("/api/v1/listings/" + listing + "/pricing")
                        .jsonPath()
                        .getString("pricingId"))
                .as("in force from its date")
                .isEqualTo(v2);
        String bob = "bob-" + ns;
        assertThat(subscribe(buyer(bob), listing, "basic").getString("pricingId"))
                .as("a new subscription takes the version in force")
                .isEqualTo(v2);
        assertThat(get(buyer(alice), "/api/v1/subscriptions/" + subscription).getString("pricingId"))
                .as("a running period keeps its version")
                .isEqualTo(v1);
        meter(alice, 4, clock.instant()); // in alice's first period: still v1's price

        // The first month's invoice: v1's fee and usage.
        clock.moveTo(first.plusMonths(1)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .plus(Duration.ofHours(7)));
        runs.tickAndInvoice();
        JsonPath firstInvoice = invoice(alice, first);
        assertThat(firstInvoice.getLong("totalMinor")).isEqualTo(1000 + 700);
        assertThat(firstInvoice.getList("lines.amountMinor", Long.class)).containsExactlyInAnyOrder(1000L, 700L);

        // The renewal at the period's end moves alice to v2; a late record of the last minutes of the old period
        // (metered after the renewal) keeps v1's price, usage of the new period gets v2's.
        Instant periodEnd = start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        clock.moveTo(periodEnd.plus(Duration.ofMinutes(5)));
        runs.tickAndInvoice();
        JsonPath renewed = get(buyer(alice), "/api/v1/subscriptions/" + subscription);
        assertThat(renewed.getString("pricingId")).isEqualTo(v2);
        assertThat(Instant.parse(renewed.getString("periodStart"))).isEqualTo(periodEnd);
        meter(alice, 2, periodEnd.minus(Duration.ofMinutes(30)));
        meter(alice, 5, periodEnd.plus(Duration.ofMinutes(1)));

        YearMonth second = first.plusMonths(1);
        clock.moveTo(second.plusMonths(1)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .plus(Duration.ofHours(7)));
        runs.tickAndInvoice();
        JsonPath secondInvoice = invoice(alice, second);
        // v2's fee from the renewal (20.00), 2 × 1.00 (v1, when it happened) and 5 × 2.00 (v2).
        assertThat(secondInvoice.getList("lines.amountMinor", Long.class))
                .containsExactlyInAnyOrder(2000L, 200L, 1000L);
        assertThat(secondInvoice.getLong("totalMinor")).isEqualTo(3200);

        // The invoice issued before the change is as it was.
        JsonPath again = get(buyer(alice), "/api/v1/invoices/" + firstInvoice.getString("invoiceId"));
        assertThat(again.getLong("totalMinor")).isEqualTo(1700);
        assertThat(again.getList("lines.amountMinor", Long.class)).containsExactlyInAnyOrder(1000L, 700L);
    }

    private void meter(String customer, long quantity, Instant at) {
        JsonPath answer = given().header("Authorization", vendor(owner))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "listing",
                        listing,
                        "usageRecords",
                        List.of(Map.of(
                                "customerIdentifier",
                                customer,
                                "dimension",
                                "inference_requests",
                                "quantity",
                                quantity,
                                "timestamp",
                                at.toString()))))
                .post("/api/v1/metering/batch-meter-usage")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answer.getList("results.status")).containsExactly("Success");
    }

    private static JsonPath invoice(String buyer, YearMonth month) {
        List<Map<String, Object>> list = get(buyer(buyer), "/api/v1/invoices").getList("$");
        String id = list.stream()
                .filter(i -> month.toString().equals(i.get("month")))
                .map(i -> (String) i.get("invoiceId"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no invoice of " + month + " in " + list));
        return get(buyer(buyer), "/api/v1/invoices/" + id);
    }
}
