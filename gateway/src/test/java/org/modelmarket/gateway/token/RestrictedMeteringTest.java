package org.modelmarket.gateway.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.modelmarket.gateway.testing.GrpcCalls.WAIT;
import static org.modelmarket.gateway.testing.GrpcCalls.withToken;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.BatchMeterUsageRequest;
import org.modelmarket.gateway.grpc.v1.BatchMeterUsageResponse;
import org.modelmarket.gateway.grpc.v1.Billing;
import org.modelmarket.gateway.grpc.v1.UsageRecord;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Usage reports made with a restricted API token (QA: a namespace-restricted token metered over gRPC but got a 403
 * "names no listing" on REST): the edge reads the report's body, checks its {@code listing} against the restriction
 * and sends billing the very bytes it received; out of the restriction is a 403, too large a 413, unreadable a 400,
 * billing not called in any of them. Billing is a stub; what it received is read back.
 */
@QuarkusTest
class RestrictedMeteringTest {

    private static final String METER = "/api/v1/metering/batch-meter-usage";
    /** Odd spacing and key order on purpose: billing must get these bytes, not a re-serialisation. */
    private static final String ACME_REPORT = """
            {"usageRecords": [ {"customerIdentifier":"bob","dimension":"gpu_hours","quantity":5,
              "timestamp":"2026-11-29T10:00:00Z"} ],
               "listing" :  "acme/resnet-50"}""";

    private static final String RESULTS = """
            {"results":[{"usageRecord":{"customerIdentifier":"bob","dimension":"gpu_hours","quantity":5,
              "timestamp":"2026-11-29T10:00:00Z"},"meteringRecordId":"9a0c0000-0000-4000-8000-000000000001",
              "status":"Success"}],"unprocessedRecords":[]}""";

    @Inject
    DownstreamStub stub;

    @GrpcClient("marketplace")
    Billing billing;

    @TestHTTPResource(METER)
    URI meterUri;

    private String ownerBearer;

    @BeforeEach
    void reset() {
        stub.reset();
        ownerBearer = TestTokens.bearerOf("alice-" + UUID.randomUUID(), List.of("acme"), "buyer", "vendor");
        stub.json("billing", 200, RESULTS);
    }

    private String token(String json) {
        return "Bearer " + ApiTokens.create(ownerBearer, json);
    }

    private String acmeMeter() {
        return token(
                "{\"name\":\"ci\",\"scopes\":[\"read\",\"download\",\"publish\",\"meter\"],\"namespace\":\"acme\"}");
    }

    private ValidatableResponse meter(String bearer, String body) {
        // Bounded: a gateway that never sends the body on leaves the call without an answer (not a hung suite).
        return given().config(RestAssuredConfig.config()
                        .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 30_000)))
                .header("Authorization", bearer)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(METER)
                .then();
    }

    @Test
    void aRestrictedTokenMetersItsOwnListingAndBillingGetsTheSameBytes() throws Exception {
        meter(acmeMeter(), ACME_REPORT).statusCode(200).body("results[0].status", equalTo("Success"));

        DownstreamStub.Recorded call = stub.onlyCall("billing");
        assertThat(call.uri()).isEqualTo(METER);
        assertThat(call.body().toString(StandardCharsets.UTF_8)).isEqualTo(ACME_REPORT);
        assertThat(call.header("Content-Length"))
                .isEqualTo(Integer.toString(ACME_REPORT.getBytes(StandardCharsets.UTF_8).length));
        assertThat(call.header("Expect")).isNull();
        JsonNode claims = ApiTokens.claims(call.header("Authorization"));
        assertThat(claims.path("scope").asText()).contains("meter");
    }

    @Test
    void aChunkedReportWithExpectContinueIsReadAndSentOnWhole() throws Exception {
        byte[] report = ACME_REPORT.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(meterUri)
                                .header("Authorization", acmeMeter())
                                .header("Content-Type", "application/json")
                                .expectContinue(true)
                                .timeout(java.time.Duration.ofSeconds(30))
                                // No length: sent chunked.
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(report)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(stub.onlyCall("billing").body().toString(StandardCharsets.UTF_8))
                .isEqualTo(ACME_REPORT);
    }

    @Test
    void aReportOfAListingOutsideTheRestrictionIsRefusedAndBillingNotCalled() {
        meter(acmeMeter(), ACME_REPORT.replace("acme/resnet-50", "other/model"))
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/forbidden"))
                .body("detail", containsString("restricted to namespace acme; other/model is outside it"))
                .body("detail", containsString("\"listing\""));

        String oneListing = token("{\"name\":\"one\",\"scopes\":[\"meter\"],\"listings\":[\"acme/resnet-50\"]}");
        meter(oneListing, ACME_REPORT.replace("acme/resnet-50", "acme/other"))
                .statusCode(403)
                .body("detail", containsString("restricted to listings acme/resnet-50; acme/other is outside it"));
        // A listing named twice (one inside, one outside) is not read as either of them.
        meter(acmeMeter(), ACME_REPORT.replace("{\"usageRecords\"", "{\"listing\":\"other/model\",\"usageRecords\""))
                .statusCode(400)
                .body("detail", equalTo("The request body is not valid JSON"));
        meter(acmeMeter(), ACME_REPORT + " {\"listing\":\"other/model\"}")
                .statusCode(400)
                .body("detail", equalTo("The request body is not valid JSON"));

        meter(oneListing, ACME_REPORT).statusCode(200);
        assertThat(stub.calls("billing")).hasSize(1);
        assertThat(stub.onlyCall("billing").body().toString(StandardCharsets.UTF_8))
                .contains("acme/resnet-50");
    }

    @Test
    void anOversizeReportIs413AndAnUnreadableOneIsBillingsOwn400() throws Exception {
        String big = "{\"listing\":\"acme/resnet-50\",\"usageRecords\":[],\"pad\":\"" + "x".repeat(300_000) + "\"}";
        meter(acmeMeter(), big)
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/payload-too-large"))
                .body("detail", containsString("up to 262144 bytes"));
        // Without a length (chunked) the limit holds as the body comes.
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(meterUri)
                                .header("Authorization", acmeMeter())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("payload-too-large");

        meter(acmeMeter(), "listing=acme/resnet-50")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("detail", equalTo("The request body is not valid JSON"));
        meter(acmeMeter(), "[\"acme/resnet-50\"]")
                .statusCode(400)
                .body("detail", equalTo("The request body is not valid JSON"));
        meter(acmeMeter(), "{\"usageRecords\":[]}")
                .statusCode(400)
                .body("detail", equalTo("The request has invalid fields"))
                .body("errors[0].field", equalTo("listing"))
                .body("errors[0].message", equalTo("must not be null"));
        meter(acmeMeter(), "{\"listing\":\"acme\",\"usageRecords\":[]}")
                .statusCode(400)
                .body("errors[0].message", equalTo("must be namespace/name"));
        given().header("Authorization", acmeMeter())
                .when()
                .post(METER)
                .then()
                .statusCode(400)
                .body("detail", equalTo("The request body is not valid JSON"));
        assertThat(stub.calls("billing")).isEmpty();
    }

    @Test
    void otherMeteringWritesOfARestrictedTokenAreRefusedAsBefore() {
        given().header("Authorization", acmeMeter())
                .contentType(ContentType.JSON)
                .body("{\"listing\":\"acme/resnet-50\"}")
                .when()
                .post("/api/v1/metering")
                .then()
                .statusCode(403)
                .body("detail", containsString("names no listing"));
        assertThat(stub.calls("billing")).isEmpty();
    }

    @Test
    void unrestrictedAndKeycloakTokensAreSentOnUnreadAsBefore() {
        String unrestricted = token("{\"name\":\"all\",\"scopes\":[\"meter\"]}");
        String other = ACME_REPORT.replace("acme/resnet-50", "other/model");
        meter(unrestricted, other).statusCode(200);
        meter(ownerBearer, other).statusCode(200);
        // Not checked at the edge: billing answers bad bodies itself.
        meter(unrestricted, "not json").statusCode(200);

        assertThat(stub.calls("billing"))
                .extracting(call -> call.body().toString(StandardCharsets.UTF_8))
                .containsExactly(other, other, "not json");
        // No restriction check: the Keycloak token goes on as it came.
        assertThat(stub.calls("billing").get(1).header("Authorization")).isEqualTo(ownerBearer);
    }

    @Test
    void grpcStillChecksTheMessagesListing() {
        String acme = acmeMeter();
        UsageRecord record = UsageRecord.newBuilder()
                .setCustomerIdentifier("bob")
                .setDimension("gpu_hours")
                .setQuantity(5)
                .setTimestamp(Timestamp.newBuilder().setSeconds(1_795_946_400L))
                .build();

        BatchMeterUsageResponse response = withToken(billing, acme)
                .batchMeterUsage(BatchMeterUsageRequest.newBuilder()
                        .setListing("acme/resnet-50")
                        .addUsageRecords(record)
                        .build())
                .await()
                .atMost(WAIT);
        assertThat(response.getResults(0).getStatus()).isEqualTo("Success");

        Throwable refused = catchThrowable(() -> withToken(billing, acme)
                .batchMeterUsage(BatchMeterUsageRequest.newBuilder()
                        .setListing("other/model")
                        .addUsageRecords(record)
                        .build())
                .await()
                .atMost(WAIT));
        Status status = ((StatusRuntimeException) refused).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("restricted to namespace acme; other/model is outside it");
        assertThat(stub.calls("billing")).hasSize(1);
    }
}
