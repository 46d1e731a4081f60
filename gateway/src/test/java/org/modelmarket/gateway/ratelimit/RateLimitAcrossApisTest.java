package org.modelmarket.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.gateway.testing.GrpcCalls.WAIT;
import static org.modelmarket.gateway.testing.GrpcCalls.assertStatus;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.Artifacts;
import org.modelmarket.gateway.grpc.v1.DownloadFileRequest;
import org.modelmarket.gateway.grpc.v1.Marketplace;
import org.modelmarket.gateway.grpc.v1.MarketplaceGrpc;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.GrpcCalls;
import org.modelmarket.stack.test.TestTokens;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The Hugging Face compatible API, the model page and gRPC take their tokens from the same buckets as the pass-through
 * routes (the test profile gives an authenticated caller 300 API calls and 1000 file resolutions a day, as
 * {@code RateLimitTest} relies on; each test has a fresh subject): a call there is counted in the caller's one quota, and once the quota is spent on
 * {@code /api/v1} the call is refused in that API's own shape, with {@code Retry-After} and the RateLimit headers, and
 * never reaches a service.
 */
@QuarkusTest
class RateLimitAcrossApisTest {

    static final String API_POLICY = "\"api\";q=300;w=86400";

    @Inject
    DownstreamStub stub;

    @GrpcClient("marketplace")
    Marketplace marketplace;

    @GrpcClient("marketplace")
    Artifacts artifacts;

    @GrpcClient("marketplace")
    Channel channel;

    @BeforeEach
    void reset() {
        stub.reset();
        stub.json("catalog", 200, "{\"modalities\":[]}");
    }

    @Test
    void hubModelInfoCountsInTheApiQuotaAndIsRefusedInTheHubsShape() {
        String subject = "hub-" + UUID.randomUUID();
        String bearer = TestTokens.bearer(subject, "buyer");

        Response info = given().header("Authorization", bearer).get("/api/models/acme/tiny");
        assertThat(info.statusCode()).isNotEqualTo(429);
        assertThat(info.header("RateLimit-Policy")).isEqualTo(API_POLICY);
        assertThat(info.header("RateLimit")).startsWith("\"api\";r=299;t=");
        // The same bucket as the pass-through routes.
        assertThat(given().header("Authorization", bearer)
                        .get("/api/v1/taxonomy")
                        .header("RateLimit"))
                .startsWith("\"api\";r=298;t=");

        spendOnApiV1(bearer);
        stub.reset();
        Response refused = given().header("Authorization", bearer).get("/api/models/acme/tiny");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.jsonPath().getString("error"))
                .startsWith("Too many requests: at most the quota in RateLimit-Policy per window; retry after ");
        assertThat(refused.header("X-Error-Message"))
                .isEqualTo(refused.jsonPath().getString("error"));
        assertRefusalHeaders(refused, "api");
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
        // The Hub's other API calls share it; anonymous callers are counted by address in their own quota.
        assertThat(given().header("Authorization", bearer).get("/api/whoami-v2").statusCode())
                .isEqualTo(429);
        Response anonymous = given().get("/api/models/acme/tiny");
        assertThat(anonymous.statusCode()).isNotEqualTo(429);
        assertThat(anonymous.header("RateLimit-Policy")).isEqualTo("\"api\";q=100000;w=86400");
    }

    @Test
    void theModelPageCountsInTheApiQuotaAndIsRefusedWithAProblem() {
        String bearer = TestTokens.bearer("page-" + UUID.randomUUID(), "buyer");

        Response page = given().header("Authorization", bearer).get("/api/v1/listings/acme/tiny/page");
        assertThat(page.statusCode()).isNotEqualTo(429);
        assertThat(page.header("RateLimit-Policy")).isEqualTo(API_POLICY);
        assertThat(page.header("RateLimit")).startsWith("\"api\";r=299;t=");

        spendOnApiV1(bearer);
        stub.reset();
        Response refused = given().header("Authorization", bearer).get("/api/v1/listings/acme/tiny/page");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type"))
                .isEqualTo("https://modelmarket.org/problems/too-many-requests");
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.jsonPath().getString("detail")).contains("retry after ");
        assertThat(refused.jsonPath().getString("instance")).isEqualTo("/api/v1/listings/acme/tiny/page");
        assertRefusalHeaders(refused, "api");
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
        assertThat(stub.calls("billing")).isEmpty();
    }

    @Test
    void aGrpcCallCountsInTheApiQuotaAndIsResourceExhausted() {
        String bearer = TestTokens.bearer("grpc-" + UUID.randomUUID(), "buyer");
        stub.json("search", 200, "{\"total\":0,\"page\":1,\"size\":5,\"items\":[]}");
        Marketplace signedIn = GrpcCalls.withToken(marketplace, bearer);

        // The quota is announced in the answer's metadata.
        Metadata sent = new Metadata();
        sent.put(GrpcCalls.AUTHORIZATION, bearer);
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailersOfAnswer = new AtomicReference<>();
        var blocking = MarketplaceGrpc.newBlockingStub(ClientInterceptors.intercept(
                        channel,
                        MetadataUtils.newAttachHeadersInterceptor(sent),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailersOfAnswer)))
                .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(blocking.search(SearchRequest.newBuilder().setQuery("x").build())
                        .getTotal())
                .isZero();
        assertThat(headers.get().get(key("ratelimit-policy"))).isEqualTo(API_POLICY);
        assertThat(headers.get().get(key("ratelimit"))).startsWith("\"api\";r=299;t=");
        assertThat(given().header("Authorization", bearer)
                        .get("/api/v1/taxonomy")
                        .header("RateLimit"))
                .as("the gRPC call took a token from the same bucket")
                .startsWith("\"api\";r=298;t=");

        spendOnApiV1(bearer);
        stub.reset();
        StatusRuntimeException refused = assertStatus(
                () -> signedIn.search(SearchRequest.newBuilder().setQuery("x").build())
                        .await()
                        .atMost(WAIT),
                Status.Code.RESOURCE_EXHAUSTED);

        assertThat(refused.getStatus().getDescription())
                .startsWith("Too many requests: at most the quota in RateLimit-Policy per window; retry after ")
                .endsWith(" s.");
        Metadata trailers = Status.trailersFromThrowable(refused);
        assertThat(Long.parseLong(trailers.get(key("retry-after")))).isBetween(1L, 288L);
        assertThat(trailers.get(key("ratelimit-policy"))).isEqualTo(API_POLICY);
        assertThat(trailers.get(key("ratelimit"))).startsWith("\"api\";r=0;t=");
        assertThat(stub.calls("search")).isEmpty();
    }

    /**
     * Hub {@code resolve} and {@code raw} are file resolution: a tier of its own (1000 in the test profile), shared with
     * the pass-through file routes and gRPC downloads.
     */
    @Test
    void hubResolveIsFileResolutionSharedWithTheOtherFileRoutes() {
        String subject = "files-" + UUID.randomUUID();
        String bearer = TestTokens.bearer(subject, "buyer");
        stub.answer(
                "artifact",
                (request, response) -> response.putHeader("Content-Type", "application/octet-stream")
                        .putHeader("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567")
                        .putHeader("ETag", "\"" + "a".repeat(64) + "\"")
                        .end("bytes"));

        Response file = given().header("Authorization", bearer).get("/api/v1/listings/acme/x/files/model.bin");
        assertThat(file.header("RateLimit-Policy")).isEqualTo("\"files\";q=1000;w=86400");
        assertThat(file.header("RateLimit")).startsWith("\"files\";r=999;t=");
        Response resolved = given().header("Authorization", bearer).get("/acme/x/resolve/main/model.bin");
        assertThat(resolved.statusCode()).isEqualTo(200);
        assertThat(resolved.asString()).isEqualTo("bytes");
        assertThat(resolved.header("RateLimit")).startsWith("\"files\";r=998;t=");

        spend(bearer, "/api/v1/listings/acme/x/files/model.bin", 1000);
        stub.reset();
        Response refused = given().header("Authorization", bearer).get("/acme/x/resolve/main/model.bin");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.jsonPath().getString("error")).contains("retry after ");
        assertThat(refused.header("X-Error-Message"))
                .isEqualTo(refused.jsonPath().getString("error"));
        assertRefusalHeaders(refused, "files");
        Response head = given().header("Authorization", bearer).head("/acme/x/raw/main/model.bin");
        assertThat(head.statusCode()).isEqualTo(429);
        assertThat(head.header("X-Error-Message")).contains("retry after ");
        assertThat(head.header("Retry-After")).isNotNull();
        assertThat(given().header("Authorization", bearer)
                        .get("/api/v1/listings/acme/x/files/model.bin")
                        .statusCode())
                .isEqualTo(429);
        assertStatus(
                () -> GrpcCalls.withToken(artifacts, bearer)
                        .download(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("x")
                                .setPath("model.bin")
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.RESOURCE_EXHAUSTED);
        assertThat(stub.calls("artifact")).isEmpty();
        // The API tier is a bucket of its own.
        Response info = given().header("Authorization", bearer).get("/api/models/acme/x");
        assertThat(info.statusCode()).isNotEqualTo(429);
        assertThat(info.header("RateLimit-Policy")).isEqualTo(API_POLICY);
    }

    /** Spends the caller's API quota on a pass-through route, until the gateway refuses. */
    private static void spendOnApiV1(String bearer) {
        spend(bearer, "/api/v1/taxonomy", 300);
    }

    /** Calls {@code path} until the gateway refuses: within {@code quota} calls and a few refilled meanwhile. */
    private static void spend(String bearer, String path, int quota) {
        for (int call = 0; call < quota + 20; call++) {
            if (given().header("Authorization", bearer).get(path).statusCode() == 429) {
                return;
            }
        }
        throw new AssertionError("never refused");
    }

    private static void assertRefusalHeaders(Response refused, String tier) {
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 288L);
        assertThat(refused.header("RateLimit-Policy")).startsWith("\"" + tier + "\";");
        assertThat(refused.header("RateLimit")).startsWith("\"" + tier + "\";r=0;t=");
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
