package org.modelmarket.billing.metering;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.dimension;
import static org.modelmarket.billing.support.Billing.get;
import static org.modelmarket.billing.support.Billing.subscribe;
import static org.modelmarket.billing.support.Billing.terms;
import static org.modelmarket.billing.support.Billing.vendor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.billing.receipt.service.ReceiptSigner;
import org.modelmarket.billing.support.Billing;
import org.modelmarket.billing.support.TestClock;
import org.modelmarket.billing.support.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * BatchMeterUsage against real PostgreSQL: per-record results, idempotent retries, the time window, concurrent
 * identical and conflicting submissions, unprocessed batches, signed receipts, and downloads metered from
 * artifact-service's events exactly once.
 */
@QuarkusTest
class MeteringTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private final String ns = "meter-" + UUID.randomUUID().toString().substring(0, 8);
    private final String owner = "vendor-" + ns;
    private final String alice = "alice-" + ns;
    private String listing;
    private UUID listingId;

    @BeforeEach
    void subscribedBuyer() {
        listingId = Billing.listing(ns, "llm", "paid", owner);
        listing = ns + "/llm";
        Billing.price(
                listing,
                vendor(owner),
                terms(
                        "EUR",
                        0,
                        "0",
                        List.of(
                                dimension("inference_requests", "0.20", 1000, 10_000),
                                dimension("downloads", "1.00", 1, 0))));
        subscribe(buyer(alice), listing, "basic");
    }

    private Map<String, Object> record(String customer, String dimension, long quantity, Instant at) {
        return Map.of(
                "customerIdentifier",
                customer,
                "dimension",
                dimension,
                "quantity",
                quantity,
                "timestamp",
                at.toString());
    }

    private Response meter(String token, List<Map<String, Object>> records) {
        return given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(Map.of("listing", listing, "usageRecords", records))
                .post("/api/v1/metering/batch-meter-usage");
    }

    @Test
    void answersEachRecordAndARetryReturnsTheSameRecordId() {
        Instant now = clock.instant();
        List<Map<String, Object>> batch = List.of(
                record(alice, "inference_requests", 1200, now.minus(Duration.ofMinutes(5))),
                record("nobody-" + ns, "inference_requests", 5, now),
                record(alice, "inference_requests", 7, now.minus(Duration.ofHours(7))),
                record(alice, "inference_requests", 7, now.plus(Duration.ofMinutes(1))));
        JsonPath first =
                meter(vendor(owner), batch).then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("results.status"))
                .containsExactly("Success", "CustomerNotSubscribed", "TimestampOutOfBounds", "TimestampOutOfBounds");
        assertThat(first.getList("unprocessedRecords")).isEmpty();
        String id = first.getString("results[0].meteringRecordId");
        assertThat(first.getString("results[1].meteringRecordId")).isNull();
        assertThat(first.getString("results[0].usageRecord.customerIdentifier")).isEqualTo(alice);

        JsonPath retry =
                meter(vendor(owner), batch).then().statusCode(200).extract().jsonPath();
        assertThat(retry.getString("results[0].status")).isEqualTo("Success");
        assertThat(retry.getString("results[0].meteringRecordId")).isEqualTo(id);

        // Same customer, dimension and hour with another quantity.
        Instant sameHour = now.minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.HOURS);
        JsonPath duplicate = meter(vendor(owner), List.of(record(alice, "inference_requests", 1201, sameHour)))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(duplicate.getString("results[0].status")).isEqualTo("DuplicateRecord");

        assertThat(rows()).containsExactly(List.of(id, 1200L));
    }

    @Test
    void onlyTheOwningVendorMetersAndBadInputStoresNothing() {
        Instant now = clock.instant();
        List<Map<String, Object>> one = List.of(record(alice, "inference_requests", 3, now));
        assertThat(meter(vendor("other-vendor-" + ns), one).statusCode()).isEqualTo(403);
        assertThat(meter(buyer(alice), one).statusCode()).isEqualTo(403);
        assertThat(given().contentType(ContentType.JSON)
                        .body(Map.of("listing", listing, "usageRecords", one))
                        .post("/api/v1/metering/batch-meter-usage")
                        .statusCode())
                .isEqualTo(401);

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            tooMany.add(record(alice, "inference_requests", 1, now.minus(Duration.ofHours(i % 5))));
        }
        problem(meter(vendor(owner), tooMany), "usageRecords");
        problem(
                meter(vendor(owner), List.of(record(alice, "inference_requests", -1, now))),
                "usageRecords[0].quantity");
        problem(meter(vendor(owner), List.of(record(alice, "Bad Dimension", 1, now))), "usageRecords[0].dimension");
        // A dimension the customer's pricing lacks refuses the whole call, the valid record included.
        problem(
                meter(
                        vendor(owner),
                        List.of(record(alice, "inference_requests", 1, now), record(alice, "gpu_hours", 1, now))),
                "usageRecords[1].dimension");
        Map<String, Object> allocated = new java.util.HashMap<>(record(alice, "inference_requests", 10, now));
        allocated.put(
                "usageAllocations",
                List.of(Map.of("allocatedUsageQuantity", 4, "tags", List.of(Map.of("key", "team", "value", "a")))));
        problem(meter(vendor(owner), List.of(allocated)), "usageRecords[0].usageAllocations");
        problem(
                given().header("Authorization", vendor(owner))
                        .contentType(ContentType.JSON)
                        .body("{\"listing\":")
                        .post("/api/v1/metering/batch-meter-usage"),
                null);

        assertThat(rows()).isEmpty();
    }

    @Test
    void fiftyConcurrentIdenticalSubmissionsStoreOneRecordAndAllGetItsId() throws Exception {
        Instant at = clock.instant().minus(Duration.ofMinutes(1));
        String body = body(List.of(record(alice, "inference_requests", 42, at)));
        List<JsonNode> answers = concurrently(50, i -> body);
        assertThat(answers).extracting(a -> a.at("/results/0/status").asText()).containsOnly("Success");
        assertThat(answers)
                .extracting(a -> a.at("/results/0/meteringRecordId").asText())
                .hasSize(50)
                .containsOnly(answers.get(0).at("/results/0/meteringRecordId").asText());
        assertThat(rows())
                .containsExactly(
                        List.of(answers.get(0).at("/results/0/meteringRecordId").asText(), 42L));
    }

    @Test
    void fiftyConcurrentConflictingSubmissionsStoreExactlyOne() throws Exception {
        Instant at = clock.instant().minus(Duration.ofMinutes(1));
        List<JsonNode> answers = concurrently(50, i -> body(List.of(record(alice, "inference_requests", 100 + i, at))));
        List<JsonNode> successes = answers.stream()
                .filter(a -> a.at("/results/0/status").asText().equals("Success"))
                .toList();
        assertThat(successes).hasSize(1);
        assertThat(answers)
                .extracting(a -> a.at("/results/0/status").asText())
                .filteredOn("DuplicateRecord"::equals)
                .hasSize(49);
        long quantity = successes.get(0).at("/results/0/usageRecord/quantity").asLong();
        assertThat(rows())
                .containsExactly(List.of(
                        successes.get(0).at("/results/0/meteringRecordId").asText(), quantity));
    }

    @Test
    void aBatchTheDatabaseCannotTakeIsReturnedUnprocessedAndNothingIsStored() {
        Instant now = clock.instant();
        List<Map<String, Object>> batch =
                List.of(record(alice, "inference_requests", 1, now), record(alice, "downloads", 2, now));
        sql("alter table metering_record rename to metering_record_away");
        JsonPath answer;
        try {
            answer =
                    meter(vendor(owner), batch).then().statusCode(200).extract().jsonPath();
        } finally {
            sql("alter table metering_record_away rename to metering_record");
        }
        assertThat(answer.getList("results")).isEmpty();
        assertThat(answer.getList("unprocessedRecords.dimension")).containsExactly("inference_requests", "downloads");
        assertThat(rows()).isEmpty();
        assertThat(meter(vendor(owner), batch).jsonPath().getList("results.status"))
                .containsExactly("Success", "Success");
    }

    @Test
    void aReceiptVerifiesWithOnlyThePublishedKey() throws Exception {
        Instant at = clock.instant().minus(Duration.ofMinutes(2));
        // Three records signed as one batch: one signature over their Merkle root, a proof per receipt.
        JsonPath batch = meter(
                        vendor(owner),
                        List.of(
                                record(alice, "inference_requests", 77, at),
                                record(alice, "inference_requests", 5, at.minus(Duration.ofHours(1))),
                                record(alice, "inference_requests", 6, at.minus(Duration.ofHours(2)))))
                .jsonPath();
        assertThat(batch.getList("results.status")).containsOnly("Success");
        String id = batch.getString("results[0].meteringRecordId");

        JsonPath receipt = get(buyer(alice), "/api/v1/receipts/" + id);
        assertThat(get(vendor(owner), "/api/v1/receipts/" + id).getString("signature"))
                .isEqualTo(receipt.getString("signature"));
        given().header("Authorization", buyer("mallory-" + ns))
                .get("/api/v1/receipts/" + id)
                .then()
                .statusCode(404);
        given().header("Authorization", vendor("other-vendor-" + ns))
                .get("/api/v1/receipts/" + id)
                .then()
                .statusCode(404);

        // Offline verification: only the well-known key set (fetched anonymously) and the receipt.
        JsonPath keys = given().get("/.well-known/modelmarket-receipt-keys")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String keyId = receipt.getString("keyId");
        Map<String, String> jwk = keys.getList("keys", Map.class).stream()
                .filter(k -> keyId.equals(k.get("kid")))
                .findFirst()
                .orElseThrow();
        assertThat(jwk).containsEntry("kty", "OKP").containsEntry("crv", "Ed25519");
        byte[] payload = Base64.getUrlDecoder().decode(receipt.getString("payload"));
        byte[] signed = Base64.getUrlDecoder().decode(receipt.getString("signed"));
        byte[] signature = Base64.getUrlDecoder().decode(receipt.getString("signature"));
        List<Map<String, String>> proof = receipt.getList("proof");
        assertThat(verifies(jwk.get("x"), payload, proof, signed, signature)).isTrue();
        JsonNode claims = MAPPER.readTree(payload);
        assertThat(claims.get("meteringRecordId").asText()).isEqualTo(id);
        assertThat(claims.get("quantity").asLong()).isEqualTo(77);
        assertThat(claims.get("customerIdentifier").asText()).isEqualTo(alice);
        assertThat(claims.get("listing").asText()).isEqualTo(listing);
        assertThat(MAPPER.readTree(signed).get("keyId").asText()).isEqualTo(keyId);

        byte[] tampered = new String(payload, StandardCharsets.UTF_8)
                .replace("\"quantity\":77", "\"quantity\":7")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verifies(jwk.get("x"), tampered, proof, signed, signature)).isFalse();
        assertThat(proof).isNotEmpty();
        for (String other :
                batch.getList("results.meteringRecordId", String.class).subList(1, 3)) {
            JsonPath receiptOfOther = get(buyer(alice), "/api/v1/receipts/" + other);
            assertThat(receiptOfOther.getString("signature")).isEqualTo(receipt.getString("signature"));
            assertThat(verifies(
                            jwk.get("x"),
                            Base64.getUrlDecoder().decode(receiptOfOther.getString("payload")),
                            receiptOfOther.getList("proof"),
                            signed,
                            signature))
                    .isTrue();
            // One receipt's proof does not vouch for another's payload.
            assertThat(verifies(
                            jwk.get("x"),
                            Base64.getUrlDecoder().decode(receiptOfOther.getString("payload")),
                            proof,
                            signed,
                            signature))
                    .isFalse();
        }

        // The month's usage statement lists the record; another buyer's statement does not.
        JsonPath statement =
                get(buyer(alice), "/api/v1/receipts?month=" + at.toString().substring(0, 7));
        assertThat(statement.getList("records.meteringRecordId")).contains(id);
        assertThat(get(
                                buyer("mallory-" + ns),
                                "/api/v1/receipts?month=" + at.toString().substring(0, 7))
                        .getList("records.meteringRecordId"))
                .doesNotContain(id);
    }

    @Test
    void downloadsAreMeteredOncePerDownloadIdAndAnonymousOnesAreSkipped() throws Exception {
        double anonymousBefore = anonymousDownloads();
        UUID downloadId = UUID.randomUUID();
        Instant at = clock.instant().minus(Duration.ofMinutes(3));
        for (String subject : new String[] {alice, alice, null}) {
            ObjectNode event = (ObjectNode)
                    MAPPER.readTree(getClass().getResourceAsStream("/events/consumed/file-downloaded.json"));
            event.put("id", UUID.randomUUID().toString());
            event.put("subject", listingId.toString());
            ObjectNode data = (ObjectNode) event.get("data");
            data.put("downloadId", subject == null ? UUID.randomUUID().toString() : downloadId.toString());
            data.put("listingId", listingId.toString());
            data.put("downloadedAt", at.toString());
            data.put("commit", "0123456789abcdef0123456789abcdef01234567");
            if (subject == null) {
                data.putNull("subject");
            } else {
                data.put("subject", subject);
            }
            Topics.send("artifact.downloads", listingId.toString(), MAPPER.writeValueAsString(event));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !rows().isEmpty());
        // The anonymous one was sent last: once it is consumed too, the count is final.
        await().atMost(Duration.ofSeconds(30)).until(() -> anonymousDownloads() > anonymousBefore);
        assertThat(count("select count(*) from metering_record where listing_id = $1 and dimension = 'downloads'"
                        + " and idempotency_key = 'download:" + downloadId + "'"))
                .isEqualTo(1);
        assertThat(rows()).hasSize(1);
    }

    /**
     * Offline verification as a buyer would do it, with nothing but SHA-256 and the published key: the payload's leaf
     * hash, folded with the proof (RFC 6962: leaf = H(0x00 || payload), node = H(0x01 || left || right)), must be the
     * Merkle root named in the signed statement, and the signature must cover that statement.
     */
    static boolean verifies(String x, byte[] payload, List<Map<String, String>> proof, byte[] signed, byte[] signature)
            throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        byte[] hash = sha.digest(payload);
        for (Map<String, String> step : proof) {
            byte[] sibling = Base64.getUrlDecoder().decode(step.get("hash"));
            sha.update((byte) 1);
            if (step.get("side").equals("left")) {
                sha.update(sibling);
                hash = sha.digest(hash);
            } else {
                sha.update(hash);
                hash = sha.digest(sibling);
            }
        }
        byte[] root = Base64.getUrlDecoder()
                .decode(MAPPER.readTree(signed).get("merkleRoot").asText());
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(ReceiptSigner.publicKey(x));
        verifier.update(signed);
        return verifier.verify(signature) && java.util.Arrays.equals(root, hash);
    }

    @Test
    void downloadsOutsideTheMeteringWindowAreRefusedLikeLateRecords() throws Exception {
        double refusedBefore = downloads("out-of-bounds");
        double meteredBefore = downloads("metered");
        Instant now = clock.instant();
        // Older than the window (6 h), in the future, and the window's edge (metered).
        Instant[] times = {
            now.minus(Duration.ofHours(6)).minusSeconds(1), now.plusSeconds(60), now.minus(Duration.ofHours(5))
        };
        UUID[] ids = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        for (int i = 0; i < times.length; i++) {
            ObjectNode event = (ObjectNode)
                    MAPPER.readTree(getClass().getResourceAsStream("/events/consumed/file-downloaded.json"));
            event.put("id", UUID.randomUUID().toString());
            event.put("subject", listingId.toString());
            ObjectNode data = (ObjectNode) event.get("data");
            data.put("downloadId", ids[i].toString());
            data.put("listingId", listingId.toString());
            data.put("downloadedAt", times[i].toString());
            data.put("subject", alice);
            Topics.send("artifact.downloads", listingId.toString(), MAPPER.writeValueAsString(event));
        }
        // Same key, one partition: once the last one is metered, the first two were consumed.
        await().atMost(Duration.ofSeconds(30)).until(() -> downloads("metered") > meteredBefore);
        assertThat(downloads("out-of-bounds")).isEqualTo(refusedBefore + 2);
        assertThat(count("select count(*) from metering_record where listing_id = $1 and dimension = 'downloads'"))
                .isEqualTo(1);
        assertThat(count("select count(*) from metering_record where listing_id = $1 and idempotency_key = 'download:"
                        + ids[2] + "'"))
                .isEqualTo(1);
    }

    private double downloads(String outcome) {
        var counter = registry.find("modelmarket.billing.download.events")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double anonymousDownloads() {
        return downloads("anonymous");
    }

    private static void problem(Response response, String field) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).endsWith("/validation");
        if (field != null) {
            assertThat(response.jsonPath().getList("errors.field")).contains(field);
        }
    }

    private String body(List<Map<String, Object>> records) {
        try {
            return MAPPER.writeValueAsString(Map.of("listing", listing, "usageRecords", records));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} submissions released at once, over plain HTTP; their parsed answers (all must be 200). */
    private List<JsonNode> concurrently(int n, java.util.function.IntFunction<String> bodies) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/metering/batch-meter-usage");
        String token = vendor(owner);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = bodies.apply(i);
                answers.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                                HttpResponse<String> response = http.send(
                                        HttpRequest.newBuilder(uri)
                                                .header("Authorization", token)
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                                assertThat(response.statusCode())
                                        .as(response.body())
                                        .isEqualTo(200);
                                return MAPPER.readTree(response.body());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        pool));
            }
            start.countDown();
            List<JsonNode> result = new ArrayList<>();
            for (var answer : answers) {
                result.add(answer.get());
            }
            return result;
        } finally {
            pool.shutdown();
            http.close();
        }
    }

    /** (record id, quantity) of this listing's records. */
    private List<List<Object>> rows() {
        List<List<Object>> rows = new ArrayList<>();
        pool.preparedQuery("select record_id, quantity from metering_record where listing_id = $1 order by recorded_at")
                .execute(Tuple.of(listingId))
                .await()
                .atMost(Duration.ofSeconds(10))
                .forEach(row -> rows.add(List.of(row.getUUID(0).toString(), row.getLong(1))));
        return rows;
    }

    private long count(String sql) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(listingId))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }
}
