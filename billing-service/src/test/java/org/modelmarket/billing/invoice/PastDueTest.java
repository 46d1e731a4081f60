package org.modelmarket.billing.invoice;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.billing.support.Billing.ADMIN;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.get;
import static org.modelmarket.billing.support.Billing.post;
import static org.modelmarket.billing.support.Billing.subscribe;
import static org.modelmarket.billing.support.Billing.terms;
import static org.modelmarket.billing.support.Billing.vendor;

import java.time.Duration;
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
 * The money-driven transitions: an invoice unpaid at its due date makes it and the subscriptions it bills past_due
 * (access refused); paying reactivates them; past the grace they expire; a past-due subscription cancels at once.
 */
@QuarkusTest
class PastDueTest {

    @Inject
    TestClock clock;

    @Inject
    Runs runs;

    @Test
    void unpaidInvoicesMakeSubscriptionsPastDueThenPaidActiveOrExpired() {
        String ns = "due-" + UUID.randomUUID().toString().substring(0, 8);
        String owner = "vendor-" + ns;
        Billing.listing(ns, "model", "paid", owner);
        String listing = ns + "/model";
        Billing.price(listing, vendor(owner), terms("EUR", 0, "10.00", List.of()));
        String payer = "payer-" + ns;
        String late = "late-" + ns;
        String quitter = "quitter-" + ns;
        String paying = subscribe(buyer(payer), listing, "basic").getString("subscriptionId");
        String expiring = subscribe(buyer(late), listing, "basic").getString("subscriptionId");
        String cancelling = subscribe(buyer(quitter), listing, "basic").getString("subscriptionId");

        clock.toNextMonth();
        runs.tickAndInvoice();
        JsonPath invoice = get(buyer(payer), "/api/v1/invoices");
        assertThat(invoice.getString("[0].status")).isEqualTo("issued");
        assertThat(invoice.getLong("[0].totalMinor")).isEqualTo(1000);
        assertThat(status(payer, paying)).isEqualTo("active");

        clock.advance(Duration.ofDays(15)); // past the due date (14 days)
        runs.tickAndInvoice();
        assertThat(get(buyer(payer), "/api/v1/invoices").getString("[0].status"))
                .isEqualTo("past_due");
        for (String[] s : new String[][] {{payer, paying}, {late, expiring}, {quitter, cancelling}}) {
            assertThat(status(s[0], s[1])).isEqualTo("past_due");
            assertThat(get(buyer(s[0]), "/api/v1/entitlements/" + listing).getBoolean("granted"))
                    .isFalse();
        }

        String invoiceId = get(buyer(payer), "/api/v1/invoices").getString("[0].invoiceId");
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("amountMinor", 1000, "reference", "bank-" + ns))
                .post("/api/v1/invoices/" + invoiceId + "/payments")
                .then()
                .statusCode(200);
        assertThat(get(buyer(payer), "/api/v1/invoices/" + invoiceId).getString("status"))
                .isEqualTo("paid");
        assertThat(status(payer, paying)).isEqualTo("active");
        assertThat(get(buyer(payer), "/api/v1/entitlements/" + listing).getBoolean("granted"))
                .isTrue();
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("amountMinor", 1000, "reference", "again"))
                .post("/api/v1/invoices/" + invoiceId + "/payments")
                .then()
                .statusCode(409);

        assertThat(post(buyer(quitter), "/api/v1/subscriptions/" + cancelling + "/cancel")
                        .jsonPath()
                        .getString("status"))
                .isEqualTo("cancelled");

        clock.advance(Duration.ofDays(15)); // past the grace (14 days)
        runs.tickAndInvoice();
        assertThat(status(late, expiring)).isEqualTo("expired");
        assertThat(status(payer, paying)).as("paid, renewed meanwhile").isEqualTo("active");
        assertThat(get(buyer(late), "/api/v1/entitlements/" + listing).getBoolean("granted"))
                .isFalse();
        post(buyer(late), "/api/v1/subscriptions/" + expiring + "/resume")
                .then()
                .statusCode(409);
    }

    private static String status(String buyer, String subscription) {
        return get(buyer(buyer), "/api/v1/subscriptions/" + subscription).getString("status");
    }
}
