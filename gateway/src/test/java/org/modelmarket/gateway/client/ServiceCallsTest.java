package org.modelmarket.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;

/**
 * The one client of the gateway's own calls to the services, against a scripted service on a real socket: the
 * caller's token goes along, reads are retried after a failure that may pass and writes are not, a 4xx is the
 * service's problem, and the caller's deadline ends a call.
 */
@QuarkusTest
class ServiceCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ServiceCalls calls;

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void sendsTheCallersTokenAndBody() {
        stub.json("catalog", 201, "{\"ok\":true}");

        ServiceCalls.Reply reply = calls.send(
                        "catalog",
                        ServiceCalls.Call.of(HttpMethod.POST, "/api/v1/listings?x=1")
                                .as(Optional.of("Bearer abc"))
                                .header("If-Match", "\"3\"")
                                .json("{\"a\":1}".getBytes()))
                .await()
                .atMost(WAIT);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.text()).isEqualTo("{\"ok\":true}");
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.uri()).isEqualTo("/api/v1/listings?x=1");
        assertThat(call.header("Authorization")).isEqualTo("Bearer abc");
        assertThat(call.header("If-Match")).isEqualTo("\"3\"");
        assertThat(call.header("Content-Type")).isEqualTo("application/json");
        assertThat(call.body().toString()).isEqualTo("{\"a\":1}");
    }

    @Test
    void aReadIsRetriedAfterA503AndAReset() {
        AtomicInteger attempts = new AtomicInteger();
        stub.answer("search", (request, response) -> {
            switch (attempts.incrementAndGet()) {
                case 1 -> response.setStatusCode(503).end();
                case 2 -> response.reset();
                default ->
                    response.putHeader("Content-Type", "application/json").end("{\"total\":1}");
            }
        });

        ServiceCalls.Reply reply = calls.send("search", ServiceCalls.Call.get("/api/v1/search?q=x"))
                .await()
                .atMost(WAIT);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(stub.calls("search")).hasSize(3);
    }

    @Test
    void aReadThatKeepsFailingGivesTheLastAnswerOrUnavailable() {
        stub.json("search", 503, Listings.problem(503, "Unavailable", "busy"));

        ServiceCalls.Reply reply = calls.send("search", ServiceCalls.Call.get("/api/v1/search"))
                .await()
                .atMost(WAIT);

        assertThat(reply.status()).isEqualTo(503);
        // One call and the configured two retries.
        assertThat(stub.calls("search")).hasSize(3);

        stub.reset();
        stub.down("search");
        Throwable failure = catchThrowable(() -> calls.send("search", ServiceCalls.Call.get("/api/v1/search"))
                .await()
                .atMost(WAIT));
        assertThat(failure).isInstanceOf(DownstreamUnavailableException.class);
        assertThat(stub.calls("search")).hasSize(3);
    }

    @Test
    void aWriteIsNotRetriedOnceItMayHaveArrived() {
        stub.json("billing", 503, Listings.problem(503, "Unavailable", "busy"));

        ServiceCalls.Reply reply = calls.send(
                        "billing",
                        ServiceCalls.Call.of(HttpMethod.POST, "/api/v1/metering")
                                .json("{}".getBytes()))
                .await()
                .atMost(WAIT);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(stub.calls("billing")).hasSize(1);

        stub.reset();
        stub.down("billing");
        Throwable failure = catchThrowable(() -> calls.send(
                        "billing",
                        ServiceCalls.Call.of(HttpMethod.POST, "/api/v1/metering")
                                .json("{}".getBytes()))
                .await()
                .atMost(WAIT));
        assertThat(failure).isInstanceOf(DownstreamUnavailableException.class);
        assertThat(stub.calls("billing")).hasSize(1);
    }

    @Test
    void aClientErrorIsTheServicesProblemAndNotRetried() {
        stub.json("catalog", 404, Listings.problem(404, "Not found", "no acme/x"));

        ServiceCalls.Reply reply = calls.send("catalog", ServiceCalls.Call.get("/api/v1/listings/acme/x"))
                .await()
                .atMost(WAIT);

        assertThat(stub.calls("catalog")).hasSize(1);
        Throwable failure = catchThrowable(() -> reply.orThrow("catalog"));
        assertThat(failure).isInstanceOf(DownstreamProblemException.class);
        assertThat(((DownstreamProblemException) failure).status()).isEqualTo(404);
    }

    @Test
    void theCallersDeadlineEndsTheCallWithoutRetries() {
        stub.answer("catalog", (request, response) -> {});

        Throwable failure = catchThrowable(() -> calls.send(
                        "catalog",
                        ServiceCalls.Call.get("/api/v1/listings/acme/x")
                                .deadline(Instant.now().plusMillis(200)))
                .await()
                .atMost(WAIT));

        assertThat(failure).isInstanceOf(ServiceCalls.DeadlineExceededException.class);
        assertThat(stub.calls("catalog")).hasSize(1);
    }
}
