package org.modelmarket.gateway.route.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Rate limits per caller and tier (the test profile gives an authenticated caller 300 API calls a day and leaves
 * file resolution and anonymous callers practically unlimited): the quota is announced on every answer, the call
 * beyond it is a 429 problem with {@code Retry-After} that never reaches the service, file resolution counts apart,
 * and another caller is not affected.
 */
@QuarkusTest
class RateLimitTest {

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void aCallerBeyondItsQuotaGets429WithRetryAfterAndOthersGoOn() {
        stub.json("catalog", 200, "{\"modalities\":[]}");
        stub.answer(
                "artifact",
                (request, response) -> response.putHeader("Content-Type", "application/octet-stream")
                        .end("bytes"));
        String greedy = TestTokens.bearer("greedy-" + UUID.randomUUID());

        Response first = given().header("Authorization", greedy).get("/api/v1/taxonomy");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.header("RateLimit-Policy")).isEqualTo("\"api\";q=300;w=86400");
        assertThat(first.header("RateLimit")).startsWith("\"api\";r=299;t=");
        // The bucket refills continuously (300 a day): a slow run may earn a few calls more, never fewer.
        int allowed = 1;
        Response refused = null;
        while (refused == null && allowed < 330) {
            Response answer = given().header("Authorization", greedy).get("/api/v1/taxonomy");
            if (answer.statusCode() == 200) {
                allowed++;
            } else {
                refused = answer;
            }
        }
        assertThat(allowed).isBetween(300, 329);
        int reachedService = stub.calls("catalog").size();
        assertThat(reachedService).isEqualTo(allowed);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type"))
                .isEqualTo("https://modelmarket.org/problems/too-many-requests");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 288);
        assertThat(refused.header("RateLimit")).startsWith("\"api\";r=0;t=");
        assertThat(stub.calls("catalog")).hasSize(reachedService);
        // File resolution is a tier of its own, and another caller has a quota of its own.
        Response file = given().header("Authorization", greedy).get("/api/v1/listings/acme/x/files/model.bin");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.header("RateLimit-Policy")).startsWith("\"files\";");
        assertThat(given().header("Authorization", TestTokens.bearer("patient-" + UUID.randomUUID()))
                        .get("/api/v1/taxonomy")
                        .statusCode())
                .isEqualTo(200);
    }

    /**
     * A caller without {@code Authorization} is known to be anonymous without the security layer: still counted by its
     * address in the anonymous tier (its own quota), and a token sent by another caller still counts by subject.
     */
    @Test
    void anAnonymousCallerIsCountedByAddressInTheAnonymousTier() {
        stub.json("catalog", 200, "{\"modalities\":[]}");

        Response anonymous = given().get("/api/v1/taxonomy");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.header("RateLimit-Policy")).isEqualTo("\"api\";q=100000;w=86400");
        assertThat(Long.parseLong(anonymous.header("RateLimit").replaceAll(".*;r=(\\d+);.*", "$1")))
                .as("taken from the address's bucket")
                .isLessThan(100000);
        assertThat(given().get("/api/v1/taxonomy").header("RateLimit-Policy")).isEqualTo("\"api\";q=100000;w=86400");
        assertThat(stub.calls("catalog"))
                .hasSize(2)
                .allSatisfy(call -> assertThat(call.header("Authorization")).isNull());

        Response authenticated = given().header("Authorization", TestTokens.bearer("counted-" + UUID.randomUUID()))
                .get("/api/v1/taxonomy");
        assertThat(authenticated.header("RateLimit-Policy")).isEqualTo("\"api\";q=300;w=86400");
        assertThat(authenticated.header("RateLimit")).startsWith("\"api\";r=299;t=");
    }
}
