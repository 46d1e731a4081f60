package org.modelmarket.billing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.billing.support.Billing.ADMIN;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.vendor;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every endpoint × {anonymous, buyer, other buyer, owning vendor, other vendor, admin}, with bearer tokens validated by
 * quarkus-oidc, plus bad input on every write (problem+json, nothing stored: the state is read back). Reads that
 * everyone may call are checked for what each caller sees, not only the status.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    private static final String[] CALLERS = {
        "anonymous", "buyer", "other buyer", "owning vendor", "other vendor", "admin"
    };

    @Inject
    TestClock clock;

    @Inject
    Runs runs;

    @Inject
    Pool pool;

    private final String ns = "authz-" + UUID.randomUUID().toString().substring(0, 8);
    private final String owner = "owner-" + ns;
    private final String b1 = "b1-" + ns;
    private final String b2 = "b2-" + ns;
    private final Map<String, String> tokens = new LinkedHashMap<>();

    private String listing;

    private void setUp() {
        tokens.put("anonymous", null);
        tokens.put("buyer", buyer(b1));
        tokens.put("other buyer", buyer(b2));
        tokens.put("owning vendor", vendor(owner));
        tokens.put("other vendor", vendor("other-" + ns));
        tokens.put("admin", ADMIN);
        Billing.listing(ns, "model", "paid", owner);
        listing = ns + "/model";
        Billing.price(listing, vendor(owner), terms("10.00"));
    }

    private static Map<String, Object> terms(String price) {
        return Map.of(
                "currency",
                "EUR",
                "trialDays",
                0,
                "plans",
                List.of(
                        Map.of("code", "basic", "period", "month", "price", price),
                        Map.of("code", "pro", "period", "month", "price", "20.00")),
                "dimensions",
                List.of(Map.of("name", "gpu_hours", "unitPrice", "1.25", "per", 1, "includedQuantity", 2)));
    }

    @Test
    void everyEndpointForEveryCaller() {
        setUp();
        Instant start = clock.instant();
        String subscription =
                Billing.subscribe(tokens.get("buyer"), listing, "basic").getString("subscriptionId");
        String record =
                meter(tokens.get("owning vendor"), 5, start).jsonPath().getString("results[0].meteringRecordId");
        assertThat(record).isNotNull();
        String offer = offer(tokens.get("owning vendor"))
                .then()
                .statusCode(201)
                .extract()
                .path("offerId");

        expect(
                "GET entitlement decision",
                t -> call(t).get("/api/v1/entitlements/" + listing),
                401,
                200,
                200,
                200,
                200,
                200);
        Map<String, Response> entitlements = expect(
                "GET entitlements",
                t -> call(t).get("/api/v1/entitlements?listing=" + listing),
                401,
                200,
                200,
                200,
                200,
                200);
        assertThat(entitlements.get("buyer").jsonPath().getList("entitlements.customerIdentifier"))
                .containsOnly(b1);
        assertThat(entitlements.get("other buyer").jsonPath().getList("entitlements"))
                .isEmpty();
        assertThat(entitlements.get("owning vendor").jsonPath().getList("entitlements.customerIdentifier"))
                .containsOnly(b1);
        assertThat(entitlements.get("other vendor").jsonPath().getList("entitlements"))
                .isEmpty();
        assertThat(entitlements.get("admin").jsonPath().getList("entitlements.customerIdentifier"))
                .containsOnly(b1);

        expect(
                "GET pricing",
                t -> call(t).get("/api/v1/listings/" + listing + "/pricing"),
                200,
                200,
                200,
                200,
                200,
                200);
        expect(
                "GET pricing versions",
                t -> call(t).get("/api/v1/listings/" + listing + "/pricing/versions"),
                200,
                200,
                200,
                200,
                200,
                200);
        expect(
                "POST pricing",
                t -> call(t).contentType(ContentType.JSON)
                        .body(Map.of("terms", terms("11.00")))
                        .post("/api/v1/listings/" + listing + "/pricing"),
                401,
                403,
                403,
                201,
                403,
                201);
        assertThat(versions())
                .as("the first version, the offer, the vendor's and the admin's")
                .isEqualTo(4);

        expect("POST offer", this::offer, 401, 403, 403, 201, 403, 201);
        expect("GET offer", t -> call(t).get("/api/v1/offers/" + offer), 401, 200, 404, 200, 404, 200);
        Map<String, Response> offers =
                expect("GET offers", t -> call(t).get("/api/v1/offers"), 401, 200, 200, 200, 200, 200);
        assertThat(offers.get("other buyer").jsonPath().getList("offerId")).doesNotContain(offer);
        assertThat(offers.get("other vendor").jsonPath().getList("offerId")).doesNotContain(offer);
        assertThat(offers.get("buyer").jsonPath().getList("offerId")).contains(offer);

        expect(
                "GET subscription",
                t -> call(t).get("/api/v1/subscriptions/" + subscription),
                401,
                200,
                404,
                200,
                404,
                200);
        Map<String, Response> subscriptions = expect(
                "GET subscriptions",
                t -> call(t).get("/api/v1/subscriptions?listing=" + listing),
                401,
                200,
                200,
                200,
                200,
                200);
        assertThat(subscriptions.get("buyer").jsonPath().getList("buyer")).containsOnly(b1);
        assertThat(subscriptions.get("other buyer").jsonPath().getList("buyer")).isEmpty();
        assertThat(subscriptions.get("owning vendor").jsonPath().getList("buyer"))
                .containsOnly(b1);
        assertThat(subscriptions.get("other vendor").jsonPath().getList("buyer"))
                .isEmpty();

        only(
                "POST cancel",
                t -> call(t).post("/api/v1/subscriptions/" + subscription + "/cancel"),
                Map.of("anonymous", 401, "other buyer", 404, "other vendor", 404, "owning vendor", 403, "buyer", 200));
        only(
                "POST resume",
                t -> call(t).post("/api/v1/subscriptions/" + subscription + "/resume"),
                Map.of("anonymous", 401, "other buyer", 404, "other vendor", 404, "owning vendor", 403, "admin", 200));
        only(
                "POST plan",
                t -> call(t).contentType(ContentType.JSON)
                        .body(Map.of("plan", "pro"))
                        .post("/api/v1/subscriptions/" + subscription + "/plan"),
                Map.of("anonymous", 401, "other buyer", 404, "other vendor", 404, "owning vendor", 403, "buyer", 200));
        only(
                "POST subscribe",
                t -> call(t).contentType(ContentType.JSON)
                        .body(Map.of("listing", listing, "plan", "basic", "termsVersion", "v1"))
                        .post("/api/v1/subscriptions"),
                Map.of("anonymous", 401, "owning vendor", 403, "other vendor", 403, "buyer", 409, "other buyer", 201));

        expect("POST metering", t -> meter(t, 1, clock.instant()), 401, 403, 403, 200, 403, 200);
        expect("GET receipt", t -> call(t).get("/api/v1/receipts/" + record), 401, 200, 404, 200, 404, 200);
        String month = YearMonth.from(start.atOffset(ZoneOffset.UTC)).toString();
        Map<String, Response> statements = expect(
                "GET usage statement",
                t -> call(t).get("/api/v1/receipts?month=" + month),
                401,
                200,
                200,
                200,
                200,
                200);
        assertThat(statements.get("buyer").jsonPath().getList("records.meteringRecordId"))
                .contains(record);
        assertThat(statements.get("other buyer").jsonPath().getList("records.meteringRecordId"))
                .doesNotContain(record);
        assertThat(statements.get("owning vendor").jsonPath().getList("records.meteringRecordId"))
                .contains(record);
        assertThat(statements.get("other vendor").jsonPath().getList("records.meteringRecordId"))
                .doesNotContain(record);
        expect(
                "GET receipt keys",
                t -> call(t).get("/.well-known/modelmarket-receipt-keys"),
                200,
                200,
                200,
                200,
                200,
                200);

        // The month closes: invoices are issued.
        clock.toNextMonth();
        runs.invoices();
        String invoice = call(tokens.get("buyer"))
                .get("/api/v1/invoices")
                .then()
                .statusCode(200)
                .extract()
                .path("[0].invoiceId");
        assertThat(invoice).isNotNull();
        Map<String, Response> list =
                expect("GET invoices", t -> call(t).get("/api/v1/invoices"), 401, 200, 200, 200, 200, 200);
        assertThat(list.get("other buyer").jsonPath().getList("invoiceId")).doesNotContain(invoice);
        assertThat(list.get("owning vendor").jsonPath().getList("invoiceId")).doesNotContain(invoice);
        Map<String, Response> one =
                expect("GET invoice", t -> call(t).get("/api/v1/invoices/" + invoice), 401, 200, 404, 404, 404, 200);
        long total = one.get("buyer").jsonPath().getLong("totalMinor");
        // A positive line: the plan change put a (negative) proration credit on the invoice too.
        String line = one.get("buyer").jsonPath().getString("lines.find { it.amountMinor > 0 }.lineId");
        expect(
                "POST credit note",
                t -> call(t).contentType(ContentType.JSON)
                        .body(Map.of("lineId", line, "amountMinor", 1, "reason", "goodwill"))
                        .post("/api/v1/invoices/" + invoice + "/credit-notes"),
                401,
                403,
                403,
                403,
                403,
                200);
        expect(
                "POST payment",
                t -> call(t).contentType(ContentType.JSON)
                        .body(Map.of("amountMinor", total, "reference", "bank-123"))
                        .post("/api/v1/invoices/" + invoice + "/payments"),
                401,
                403,
                403,
                403,
                403,
                200);
        expect(
                "GET statements",
                t -> call(t).get("/api/v1/statements?vendor=" + ns + "&month=" + month),
                401,
                403,
                403,
                200,
                403,
                200);
        expect(
                "GET ledger balance",
                t -> call(t).get("/api/v1/statements/ledger-balance"),
                401,
                403,
                403,
                403,
                403,
                200);
    }

    @Test
    void badInputOnEveryWriteIsAProblemAndStoresNothing() {
        setUp();
        String vendorToken = tokens.get("owning vendor");
        String pricing = "/api/v1/listings/" + listing + "/pricing";
        for (Object body : List.of(
                Map.of(
                        "terms",
                        Map.of(
                                "currency",
                                "XYZ",
                                "trialDays",
                                0,
                                "plans",
                                List.of(Map.of("code", "basic", "period", "month", "price", "1.00")))),
                Map.of(
                        "terms",
                        Map.of(
                                "currency",
                                "EUR",
                                "trialDays",
                                0,
                                "plans",
                                List.of(Map.of("code", "basic", "period", "month", "price", "1.001")))),
                Map.of(
                        "terms",
                        Map.of(
                                "currency",
                                "JPY",
                                "trialDays",
                                0,
                                "plans",
                                List.of(Map.of("code", "basic", "period", "month", "price", "1.5")))),
                Map.of(
                        "terms",
                        Map.of(
                                "currency",
                                "EUR",
                                "trialDays",
                                -1,
                                "plans",
                                List.of(Map.of("code", "basic", "period", "month", "price", "1.00")))),
                Map.of(
                        "terms",
                        Map.of(
                                "currency",
                                "EUR",
                                "trialDays",
                                0,
                                "plans",
                                List.of(
                                        Map.of("code", "basic", "period", "month", "price", "1.00"),
                                        Map.of("code", "basic", "period", "year", "price", "1.00")))),
                Map.of(
                        "terms",
                        Map.of(
                                "currency",
                                "EUR",
                                "trialDays",
                                0,
                                "plans",
                                List.of(Map.of("code", "basic", "period", "week", "price", "1.00")))),
                // One-minute periods exist only for the launcher's end-to-end tests
                // (modelmarket.billing.pricing.minute-periods).
                Map.of(
                        "terms",
                        Map.of(
                                "currency",
                                "EUR",
                                "trialDays",
                                0,
                                "plans",
                                List.of(Map.of("code", "basic", "period", "minute", "price", "1.00")))),
                Map.of("terms", Map.of("currency", "EUR", "trialDays", 0, "plans", List.of())),
                Map.of("effectiveFrom", "2001-01-01T00:00:00Z", "terms", terms("1.00")),
                Map.of())) {
            problem(call(vendorToken).contentType(ContentType.JSON).body(body).post(pricing), 400);
        }
        problem(
                call(vendorToken)
                        .contentType(ContentType.JSON)
                        .body("{not json")
                        .post(pricing),
                400);
        assertThat(versions()).isEqualTo(1);

        for (Object body : List.of(
                Map.of("listing", listing, "buyer", b1, "expiresAt", "2001-01-01T00:00:00Z", "terms", terms("1.00")),
                Map.of(
                        "listing",
                        listing,
                        "expiresAt",
                        clock.instant().plusSeconds(3600).toString(),
                        "terms",
                        terms("1.00")),
                Map.of(
                        "listing",
                        "not-coordinates",
                        "buyer",
                        b1,
                        "expiresAt",
                        clock.instant().plusSeconds(3600).toString(),
                        "terms",
                        terms("1.00")))) {
            problem(call(vendorToken).contentType(ContentType.JSON).body(body).post("/api/v1/offers"), 400);
        }
        assertThat(versions()).isEqualTo(1);

        String buyerToken = tokens.get("buyer");
        for (Object body : List.of(
                Map.of("listing", listing, "plan", "platinum", "termsVersion", "v1"),
                Map.of("listing", listing, "plan", "basic"),
                Map.of("listing", "Bad Listing", "plan", "basic", "termsVersion", "v1"),
                Map.of("listing", listing, "plan", "basic", "termsVersion", "v1", "offerId", "not-a-uuid"))) {
            problem(call(buyerToken).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions"), 400);
        }
        assertThat(count("select count(*) from subscription where buyer = $1", b1))
                .isZero();
        String subscription = Billing.subscribe(buyerToken, listing, "basic").getString("subscriptionId");
        long version = call(buyerToken)
                .get("/api/v1/subscriptions/" + subscription)
                .jsonPath()
                .getLong("version");
        problem(
                call(buyerToken)
                        .contentType(ContentType.JSON)
                        .body(Map.of("plan", "Bad Plan"))
                        .post("/api/v1/subscriptions/" + subscription + "/plan"),
                400);
        problem(
                call(buyerToken)
                        .contentType(ContentType.JSON)
                        .body(Map.of("plan", "platinum"))
                        .post("/api/v1/subscriptions/" + subscription + "/plan"),
                400);
        problem(call(buyerToken).post("/api/v1/subscriptions/not-a-uuid/cancel"), 404);
        assertThat(call(buyerToken)
                        .get("/api/v1/subscriptions/" + subscription)
                        .jsonPath()
                        .getLong("version"))
                .isEqualTo(version);
        assertThat(count("select count(*) from charge where subscription_id = $1", UUID.fromString(subscription)))
                .isEqualTo(1);

        meter(vendorToken, 3, clock.instant()).then().statusCode(200);
        clock.toNextMonth();
        runs.invoices();
        var invoice = call(buyerToken).get("/api/v1/invoices").jsonPath();
        String invoiceId = invoice.getString("[0].invoiceId");
        long total = invoice.getLong("[0].totalMinor");
        problem(
                call(ADMIN)
                        .contentType(ContentType.JSON)
                        .body(Map.of("amountMinor", total + 1, "reference", "x"))
                        .post("/api/v1/invoices/" + invoiceId + "/payments"),
                400);
        problem(
                call(ADMIN)
                        .contentType(ContentType.JSON)
                        .body(Map.of("amountMinor", -5, "reference", "x"))
                        .post("/api/v1/invoices/" + invoiceId + "/payments"),
                400);
        problem(
                call(ADMIN)
                        .contentType(ContentType.JSON)
                        .body(Map.of("amountMinor", total))
                        .post("/api/v1/invoices/" + invoiceId + "/payments"),
                400);
        assertThat(call(buyerToken)
                        .get("/api/v1/invoices/" + invoiceId)
                        .jsonPath()
                        .getString("status"))
                .isEqualTo("issued");
        String line =
                call(buyerToken).get("/api/v1/invoices/" + invoiceId).jsonPath().getString("lines[0].lineId");
        problem(
                call(ADMIN)
                        .contentType(ContentType.JSON)
                        .body(Map.of("lineId", line, "amountMinor", total + 1, "reason", "x"))
                        .post("/api/v1/invoices/" + invoiceId + "/credit-notes"),
                400);
        problem(
                call(ADMIN)
                        .contentType(ContentType.JSON)
                        .body(Map.of("lineId", UUID.randomUUID().toString(), "amountMinor", 1, "reason", "x"))
                        .post("/api/v1/invoices/" + invoiceId + "/credit-notes"),
                400);
        problem(
                call(ADMIN)
                        .contentType(ContentType.JSON)
                        .body(Map.of("lineId", line, "amountMinor", 1))
                        .post("/api/v1/invoices/" + invoiceId + "/credit-notes"),
                400);
        assertThat(count("select count(*) from credit_note where invoice_id = $1", UUID.fromString(invoiceId)))
                .isZero();
    }

    private interface Call {
        Response apply(String token);
    }

    /** Calls as each of the six callers and checks the statuses, in the order of {@link #CALLERS}. */
    private Map<String, Response> expect(String what, Call call, int... statuses) {
        Map<String, Response> responses = new LinkedHashMap<>();
        for (int i = 0; i < CALLERS.length; i++) {
            Response response = call.apply(tokens.get(CALLERS[i]));
            assertThat(response.statusCode())
                    .as(what + " as " + CALLERS[i] + ": " + response.asString())
                    .isEqualTo(statuses[i]);
            if (statuses[i] >= 400) {
                assertThat(response.contentType())
                        .as(what + " as " + CALLERS[i])
                        .startsWith("application/problem+json");
            }
            responses.put(CALLERS[i], response);
        }
        return responses;
    }

    /** For state-changing calls: each listed caller in the given order (the map's iteration order is irrelevant). */
    private void only(String what, Call call, Map<String, Integer> statuses) {
        List<String> order =
                new ArrayList<>(List.of("anonymous", "other buyer", "other vendor", "owning vendor", "buyer", "admin"));
        order.removeIf(c -> !statuses.containsKey(c));
        for (String caller : order) {
            Response response = call.apply(tokens.get(caller));
            assertThat(response.statusCode())
                    .as(what + " as " + caller + ": " + response.asString())
                    .isEqualTo(statuses.get(caller));
        }
    }

    private static RequestSpecification call(String token) {
        return token == null ? given() : given().header("Authorization", token);
    }

    private Response offer(String token) {
        return call(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "listing",
                        listing,
                        "buyer",
                        b1,
                        "expiresAt",
                        clock.instant().plus(Duration.ofDays(3)).toString(),
                        "terms",
                        terms("7.00")))
                .post("/api/v1/offers");
    }

    private Response meter(String token, long quantity, Instant at) {
        return call(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "listing",
                        listing,
                        "usageRecords",
                        List.of(Map.of(
                                "customerIdentifier",
                                b1,
                                "dimension",
                                "gpu_hours",
                                "quantity",
                                quantity,
                                "timestamp",
                                at.toString()))))
                .post("/api/v1/metering/batch-meter-usage");
    }

    private static void problem(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).startsWith("https://modelmarket.org/problems/");
    }

    private long versions() {
        return count(
                "select count(*) from pricing_version p join listing l on l.listing_id = p.listing_id where l.namespace = $1",
                ns);
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
