package org.modelmarket.billing.invoice;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.billing.support.Billing.ADMIN;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.vendor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.support.Billing;
import org.modelmarket.billing.support.Runs;
import org.modelmarket.billing.support.TestClock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Properties over random histories (seeded, bounded tries; the seed is in every failure message): currencies with
 * exponents 0, 2 and 3, trials, two plans, plan changes with proration, cancellations, usage in and after trials, and
 * refunds. For each history, through the real API, scheduler and PostgreSQL:
 * <ul>
 *   <li>each buyer's invoice total equals the closed-form total computed from the history alone, to the minor unit;
 *   <li>replaying every metering call, scheduler run and invoice run three times changes nothing (same record ids,
 *       same invoices, same ledger);
 *   <li>the ledger balances per currency, also after refunds (credit notes), and issued invoices do not change.
 * </ul>
 * Not jqwik: its 1.10 releases ask that it not be used by AI coding agents (and it runs on JUnit Platform 1, while
 * this build runs JUnit 6); this is a plain seeded generator, without shrinking.
 */
@QuarkusTest
class InvoicePropertiesTest {

    private static final int TRIES = 4;
    private static final String[][] CURRENCIES = {{"EUR", "2"}, {"JPY", "0"}, {"KWD", "3"}};

    @Inject
    TestClock clock;

    @Inject
    Runs runs;

    @Inject
    Pool pool;

    /** What one buyer did, and what the closed form says they owe. */
    private static final class History {
        String buyer;
        String subscription;
        long expectedMinor;
        /** A subscription fee was charged (even of zero): the month has an invoice only then or with usage. */
        boolean charged;

        final List<Map<String, Object>> batches = new ArrayList<>();
        final List<String> recordIds = new ArrayList<>();
    }

    @Test
    void invoicesMatchTheClosedFormReplaysChangeNothingAndTheLedgerBalances() {
        // A failure names its seed; -Dmodelmarket.test.seed=<seed> replays exactly that history first.
        Long replay = Long.getLong("modelmarket.test.seed");
        long base = replay != null ? replay : new Random().nextLong();
        for (int attempt = 0; attempt < TRIES; attempt++) {
            long seed = base + attempt;
            try {
                oneHistory(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("History with seed " + seed + " failed: " + e.getMessage(), e);
            }
        }
    }

    private void oneHistory(long seed) {
        Random random = new Random(seed);
        String ns = "prop-" + Long.toHexString(seed).replace("-", "m");
        String owner = "vendor-" + ns;
        String[] currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        int exponent = Integer.parseInt(currency[1]);
        int trialDays = random.nextBoolean() ? 2 : 0;
        BigDecimal basic = BigDecimal.valueOf(random.nextInt(100_000), exponent);
        BigDecimal pro = BigDecimal.valueOf(random.nextInt(500_000), exponent);
        // Unit prices carry up to 6 more digits than the currency: the line rounding is where it gets interesting.
        BigDecimal unit = BigDecimal.valueOf(random.nextInt(5_000_000), exponent + 6);
        long per = random.nextBoolean() ? 1 : 1000;
        long included = random.nextInt(3) * 500L;

        // A fresh month, so that the whole history falls into one invoice.
        YearMonth month =
                YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)).plusMonths(1);
        clock.moveTo(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofHours(1)));

        Billing.listing(ns, "model", "paid", owner);
        String listing = ns + "/model";
        Billing.price(
                listing,
                vendor(owner),
                Map.of(
                        "currency",
                        currency[0],
                        "trialDays",
                        trialDays,
                        "plans",
                        List.of(
                                Map.of("code", "basic", "period", "month", "price", basic.toPlainString()),
                                Map.of(
                                        "code",
                                        "pro",
                                        "period",
                                        random.nextBoolean() ? "month" : "year",
                                        "price",
                                        pro.toPlainString())),
                        "dimensions",
                        List.of(Map.of(
                                "name",
                                "requests",
                                "unitPrice",
                                unit.toPlainString(),
                                "per",
                                per,
                                "includedQuantity",
                                included))));

        List<History> histories = new ArrayList<>();
        int buyers = 1 + random.nextInt(2);
        for (int b = 0; b < buyers; b++) {
            History h = new History();
            h.buyer = "buyer" + b + "-" + ns;
            histories.add(h);
            String plan = random.nextBoolean() ? "basic" : "pro";
            BigDecimal price = plan.equals("basic") ? basic : pro;
            JsonPath subscription = Billing.subscribe(buyer(h.buyer), listing, plan);
            h.subscription = subscription.getString("subscriptionId");
            Instant trialEnd = trialDays > 0 ? clock.instant().plus(Duration.ofDays(trialDays)) : null;
            boolean cancelled = false;
            boolean inTrial = trialEnd != null;
            if (!inTrial) {
                h.expectedMinor += minor(price, exponent);
                h.charged = true;
            }
            long billableUsage = 0;
            int steps = 2 + random.nextInt(4);
            for (int s = 0; s < steps; s++) {
                clock.advance(Duration.ofHours(1 + random.nextInt(30)));
                runs.tick();
                if (inTrial && !clock.instant().isBefore(trialEnd)) {
                    inTrial = false;
                    if (!cancelled) {
                        h.expectedMinor += minor(price, exponent);
                        h.charged = true;
                    }
                }
                int action = random.nextInt(5);
                if (action <= 2) {
                    long quantity = random.nextInt(4000);
                    Instant at = clock.instant().minus(Duration.ofMinutes(1 + random.nextInt(50)));
                    Map<String, Object> batch = Map.of(
                            "listing",
                            listing,
                            "usageRecords",
                            List.of(Map.of(
                                    "customerIdentifier",
                                    h.buyer,
                                    "dimension",
                                    "requests",
                                    "quantity",
                                    quantity,
                                    "timestamp",
                                    at.toString())));
                    JsonPath result = meter(owner, batch);
                    String status = result.getString("results[0].status");
                    if (status.equals("Success")) {
                        h.batches.add(batch);
                        String id = result.getString("results[0].meteringRecordId");
                        h.recordIds.add(id);
                        // Replayed three times (inside the window, as a vendor retries): the same record, nothing more.
                        for (int replay = 0; replay < 3; replay++) {
                            JsonPath again = meter(owner, batch);
                            assertThat(again.getString("results[0].status")).isEqualTo("Success");
                            assertThat(again.getString("results[0].meteringRecordId"))
                                    .isEqualTo(id);
                        }
                        if (trialEnd == null || !at.isBefore(trialEnd)) {
                            billableUsage += quantity;
                        }
                    } else {
                        // Same hour as an earlier record with another quantity, or the buyer cancelled and it ended.
                        assertThat(status).isIn("DuplicateRecord", "CustomerNotSubscribed");
                    }
                } else if (action == 3 && !cancelled && !inTrial) {
                    JsonPath before = Billing.get(buyer(h.buyer), "/api/v1/subscriptions/" + h.subscription);
                    String next = before.getString("plan").equals("basic") ? "pro" : "basic";
                    Instant start = Instant.parse(before.getString("periodStart"));
                    Instant end = Instant.parse(before.getString("periodEnd"));
                    Instant now = clock.instant();
                    given().header("Authorization", buyer(h.buyer))
                            .contentType(ContentType.JSON)
                            .body(Map.of("plan", next))
                            .post("/api/v1/subscriptions/" + h.subscription + "/plan")
                            .then()
                            .statusCode(200);
                    BigDecimal old = before.getString("plan").equals("basic") ? basic : pro;
                    BigDecimal exactCredit = old.multiply(BigDecimal.valueOf(
                                    Duration.between(now, end).toMillis()))
                            .divide(
                                    BigDecimal.valueOf(
                                            Duration.between(start, end).toMillis()),
                                    MathContext.DECIMAL128);
                    h.expectedMinor -= exactCredit
                            .setScale(exponent, RoundingMode.HALF_EVEN)
                            .movePointRight(exponent)
                            .longValueExact();
                    h.expectedMinor += minor(next.equals("basic") ? basic : pro, exponent);
                    h.charged = true;
                    price = next.equals("basic") ? basic : pro;
                } else if (action == 4 && !cancelled) {
                    given().header("Authorization", buyer(h.buyer))
                            .post("/api/v1/subscriptions/" + h.subscription + "/cancel")
                            .then()
                            .statusCode(200);
                    cancelled = true;
                }
            }
            if (inTrial && !cancelled) {
                h.expectedMinor += minor(price, exponent); // converts at the trial's end, still in this month
                h.charged = true;
            }
            BigDecimal usage = unit.multiply(BigDecimal.valueOf(Math.max(0, billableUsage - included)))
                    .divide(BigDecimal.valueOf(per), MathContext.DECIMAL128);
            h.expectedMinor += usage.setScale(exponent, RoundingMode.HALF_EVEN)
                    .movePointRight(exponent)
                    .longValueExact();
        }

        // The month and the metering window close: invoices are issued.
        clock.moveTo(month.plusMonths(1)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .plus(Duration.ofHours(7)));
        runs.tick();
        runs.invoices();
        Map<String, JsonPath> issued = new HashMap<>();
        for (History h : histories) {
            JsonPath list = Billing.get(buyer(h.buyer), "/api/v1/invoices");
            if (!h.charged && h.recordIds.isEmpty()) {
                // Cancelled within its trial and never metered: nothing is owed, and no empty invoice is issued.
                assertThat(list.getList("invoiceId"))
                        .as("no invoice for a free trial")
                        .isEmpty();
                continue;
            }
            assertThat(list.getList("month"))
                    .as("one invoice, for the month (expected %d, records %s)", h.expectedMinor, h.recordIds)
                    .containsExactly(month.toString());
            JsonPath invoice = Billing.get(buyer(h.buyer), "/api/v1/invoices/" + list.getString("[0].invoiceId"));
            assertThat(invoice.getLong("totalMinor"))
                    .as("closed-form total of " + h.buyer)
                    .isEqualTo(h.expectedMinor);
            assertThat(invoice.getString("currency")).isEqualTo(currency[0]);
            List<String> traced = new ArrayList<>();
            invoice.getList("lines.sources", List.class).forEach(traced::addAll);
            assertThat(traced).as("every metering record is on a line").containsAll(h.recordIds);
            issued.put(h.buyer, invoice);
        }
        long ledgerRows = count("select count(*) from ledger_entry where currency = $1", currency[0]);
        assertBalanced();

        // Replay everything three times: nothing changes.
        long records = count(
                "select count(*) from metering_record m join listing l on l.listing_id = m.listing_id"
                        + " where l.namespace = $1",
                ns);
        assertThat(records)
                .isEqualTo(histories.stream().mapToLong(h -> h.recordIds.size()).sum());
        for (int replay = 0; replay < 3; replay++) {
            runs.tick();
            runs.invoices();
        }
        for (History h : histories) {
            JsonPath list = Billing.get(buyer(h.buyer), "/api/v1/invoices");
            if (!issued.containsKey(h.buyer)) {
                assertThat(list.getList("invoiceId")).isEmpty();
                continue;
            }
            assertThat(list.getList("invoiceId"))
                    .containsExactly(issued.get(h.buyer).getString("invoiceId"));
            assertThat(Billing.get(buyer(h.buyer), "/api/v1/invoices/" + list.getString("[0].invoiceId"))
                            .getLong("totalMinor"))
                    .isEqualTo(h.expectedMinor);
        }
        assertThat(count("select count(*) from ledger_entry where currency = $1", currency[0]))
                .isEqualTo(ledgerRows);

        // A refund: a credit note, the invoice unchanged, the ledger still balanced.
        History refunded = histories.get(0);
        JsonPath invoice = issued.get(refunded.buyer);
        List<Map<String, Object>> positive = invoice == null
                ? List.of()
                : invoice.getList("lines", Map.class).stream()
                        .map(l -> (Map<String, Object>) l)
                        .filter(l -> ((Number) l.get("amountMinor")).longValue() > 0)
                        .toList();
        Map<String, Object> line = positive.isEmpty() ? null : positive.get(random.nextInt(positive.size()));
        // A refund is bounded by the line and by the invoice's total, which a negative line (a proration) can make
        // smaller than one of its lines: seed 1531149521500140649 asked for more than the total and got the 400.
        long refundable = line == null
                ? 0
                : Math.min(((Number) line.get("amountMinor")).longValue(), invoice.getLong("totalMinor"));
        if (refundable > 0) {
            long amount = 1 + random.nextLong(refundable);
            given().header("Authorization", ADMIN)
                    .contentType(ContentType.JSON)
                    .body(Map.of("lineId", line.get("lineId"), "amountMinor", amount, "reason", "property refund"))
                    .post("/api/v1/invoices/" + invoice.getString("invoiceId") + "/credit-notes")
                    .then()
                    .statusCode(200);
            JsonPath after = Billing.get(buyer(refunded.buyer), "/api/v1/invoices/" + invoice.getString("invoiceId"));
            assertThat(after.getLong("totalMinor")).isEqualTo(refunded.expectedMinor);
            assertThat(after.getList("creditNotes.amountMinor", Long.class)).containsExactly(amount);
            assertBalanced();
        }
    }

    /** Debits equal credits in every currency, read from the table itself. */
    private void assertBalanced() {
        for (Row row : pool.query(
                        "select currency, sum(debit_minor), sum(credit_minor) from ledger_entry group by currency")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10))) {
            assertThat(row.getLong(1)).as("ledger in " + row.getString(0)).isEqualTo(row.getLong(2));
        }
        for (Map<?, ?> balance :
                Billing.get(ADMIN, "/api/v1/statements/ledger-balance").getList("", Map.class)) {
            assertThat(balance.get("debitsMinor")).isEqualTo(balance.get("creditsMinor"));
        }
    }

    private JsonPath meter(String owner, Map<String, Object> batch) {
        return given().header("Authorization", vendor(owner))
                .contentType(ContentType.JSON)
                .body(batch)
                .post("/api/v1/metering/batch-meter-usage")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static long minor(BigDecimal amount, int exponent) {
        return amount.movePointRight(exponent).longValueExact();
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
