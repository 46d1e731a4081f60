package org.modelmarket.billing.invoice;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.billing.support.Billing.ADMIN;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.get;
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
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Refunds: a credit note may not exceed the line it refunds, nor what the invoice has left to credit. A refused
 * refund is a 400 problem that names the field, and writes neither a credit note nor a ledger row.
 */
@QuarkusTest
class CreditNoteTest {

    @Inject
    TestClock clock;

    @Inject
    Runs runs;

    @Inject
    Pool pool;

    @Test
    void aRefundIsBoundedByTheLineAndByWhatTheInvoiceHasLeftToCredit() {
        String ns = "credit-" + UUID.randomUUID().toString().substring(0, 8);
        String owner = "vendor-" + ns;
        Billing.listing(ns, "model", "paid", owner);
        String listing = ns + "/model";
        Billing.price(listing, vendor(owner), terms("EUR", 0, "10.00", List.of()));
        String payer = "payer-" + ns;
        subscribe(buyer(payer), listing, "basic");

        clock.toNextMonth();
        runs.tickAndInvoice();
        JsonPath invoice = get(
                buyer(payer),
                "/api/v1/invoices/" + get(buyer(payer), "/api/v1/invoices").getString("[0].invoiceId"));
        String id = invoice.getString("invoiceId");
        assertThat(invoice.getLong("totalMinor")).isEqualTo(1000);
        assertThat(invoice.getList("lines.amountMinor", Long.class)).containsExactly(1000L);
        String lineId = invoice.getString("lines[0].lineId");

        long ledgerRows = ledgerRows();
        refused(credit(id, lineId, 1001), "amount");
        assertThat(creditNotes(payer, id)).as("nothing written").isEmpty();
        assertThat(ledgerRows()).isEqualTo(ledgerRows);

        assertThat(credit(id, lineId, 600).statusCode()).isEqualTo(200);
        assertThat(creditNotes(payer, id)).containsExactly(600L);
        long afterFirst = ledgerRows();
        assertThat(afterFirst).as("the refund is booked").isGreaterThan(ledgerRows);

        // 600 + 600 is within the line each time, but more than the invoice's 1000.
        refused(credit(id, lineId, 600), "amount");
        assertThat(creditNotes(payer, id)).containsExactly(600L);
        assertThat(ledgerRows()).isEqualTo(afterFirst);

        assertThat(credit(id, lineId, 400).statusCode()).isEqualTo(200);
        refused(credit(id, lineId, 1), "amount");
        assertThat(creditNotes(payer, id)).containsExactlyInAnyOrder(600L, 400L);
        assertThat(get(buyer(payer), "/api/v1/invoices/" + id).getLong("totalMinor"))
                .as("an issued invoice does not change; credit notes stand beside it")
                .isEqualTo(1000);

        refused(credit(id, UUID.randomUUID().toString(), 1), "lineId");
        assertThat(creditNotes(payer, id)).hasSize(2);
    }

    private static Response credit(String invoiceId, String lineId, long amountMinor) {
        return given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("lineId", lineId, "amountMinor", amountMinor, "reason", "refund test"))
                .post("/api/v1/invoices/" + invoiceId + "/credit-notes");
    }

    private static void refused(Response response, String field) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getList("errors.field")).containsExactly(field);
    }

    private static List<Long> creditNotes(String payer, String invoiceId) {
        return get(buyer(payer), "/api/v1/invoices/" + invoiceId).getList("creditNotes.amountMinor", Long.class);
    }

    private long ledgerRows() {
        return pool.preparedQuery("select count(*) from ledger_entry where currency = $1")
                .execute(Tuple.of("EUR"))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }
}
