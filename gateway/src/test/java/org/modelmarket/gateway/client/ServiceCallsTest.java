package org.modelmarket.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.gateway.testing.SmallBreaker;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

/**
 * The one client of the gateway's own calls to the services, against a scripted service on a real socket: the
 * caller's token goes along, reads are retried after a failure that may pass and writes are not, a 4xx is the
 * service's problem, the caller's deadline ends a call, and the circuit breaker opens for a service that is down but
 * never for one that is only slow.
 */
@QuarkusTest
class ServiceCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ServiceCalls calls;

    @Inject
    DownstreamStub stub;

    @Inject
    Vertx vertx;

    @Inject
    io.vertx.mutiny.core.Vertx mutinyVertx;

    @Inject
    Config config;

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
    void aReadWithNoAnswerWithinTheResponseTimeoutIsNotAskedAgain() {
        // A service that never answers (hung, or overloaded past the timeout): asking it again would triple the
        // caller's wait (the test profile's response timeout is 3 s) and add load to it.
        stub.answer("catalog", (request, response) -> {});

        Throwable failure = catchThrowable(() -> calls.send("catalog", ServiceCalls.Call.get("/api/v1/listings/a/b"))
                .await()
                .atMost(WAIT));

        assertThat(failure).isInstanceOf(DownstreamUnavailableException.class);
        assertThat(stub.calls("catalog")).hasSize(1);
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

    // ---- the circuit breaker: down opens it, slow (or a short deadline, or a 4xx) does not ----

    @Test
    void aServiceThatIsDownOpensTheBreakerAndIsThenNotCalled() {
        stub.down("catalog");
        ServiceCalls calls = withBreaker(Duration.ofSeconds(3));
        try {
            // The window is four calls, half of them failing opens it; no retries, so one attempt per call.
            for (int i = 0; i < 4; i++) {
                assertThat(catchThrowable(() -> read(calls))).isInstanceOf(DownstreamUnavailableException.class);
            }
            assertThat(calls.breakerState("catalog")).isEqualTo(CircuitBreakerState.OPEN);

            Throwable open = catchThrowable(() -> read(calls));

            assertThat(open).isInstanceOf(DownstreamUnavailableException.class);
            assertThat(open.getCause()).isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(stub.calls("catalog"))
                    .as("nothing reaches the service while it is open")
                    .hasSize(4);
        } finally {
            calls.close();
        }
    }

    @Test
    void aSlowButHealthyServiceNeverOpensTheBreakerNorDoDeadlinesOrClientErrors() {
        // Every answer takes 200 ms, well within the response timeout: slow is not down.
        stub.answer(
                "catalog",
                (request, response) -> vertx.setTimer(
                        200,
                        id -> response.putHeader("Content-Type", "application/json")
                                .end("{\"ok\":true}")));
        ServiceCalls calls = withBreaker(Duration.ofSeconds(3));
        try {
            List<Uni<ServiceCalls.Reply>> concurrent = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                concurrent.add(calls.send("catalog", ServiceCalls.Call.get("/api/v1/listings/acme/x")));
            }
            List<ServiceCalls.Reply> replies =
                    Uni.join().all(concurrent).andFailFast().await().atMost(WAIT);
            assertThat(replies)
                    .extracting(ServiceCalls.Reply::status)
                    .containsOnly(200)
                    .hasSize(16);

            // Callers whose own deadline ends before the answer: their failure, not the service's.
            for (int i = 0; i < 8; i++) {
                assertThat(catchThrowable(() -> calls.send(
                                        "catalog",
                                        ServiceCalls.Call.get("/api/v1/listings/acme/x")
                                                .deadline(Instant.now().plusMillis(20)))
                                .await()
                                .atMost(WAIT)))
                        .isInstanceOf(ServiceCalls.DeadlineExceededException.class);
            }
            // A 4xx is the service answering.
            stub.json("catalog", 404, Listings.problem(404, "Not found", "no acme/x"));
            for (int i = 0; i < 8; i++) {
                assertThat(read(calls).status()).isEqualTo(404);
            }

            assertThat(calls.breakerState("catalog")).isEqualTo(CircuitBreakerState.CLOSED);
            // At most one request per call (nothing retried); on a loaded machine a 20 ms deadline may end a call
            // before its request has reached the service.
            assertThat(stub.calls("catalog")).hasSizeBetween(16 + 8, 16 + 8 + 8);
        } finally {
            calls.close();
        }
    }

    private static ServiceCalls.Reply read(ServiceCalls calls) {
        return calls.send("catalog", ServiceCalls.Call.get("/api/v1/listings/acme/x"))
                .await()
                .atMost(WAIT);
    }

    /** Calls to the scripted catalog with a small breaker (window 4, ratio 0.5, open 30 s) and no retries. */
    private ServiceCalls withBreaker(Duration responseTimeout) {
        GatewayConfig.Downstream numbers = SmallBreaker.downstream(responseTimeout, 0, 256, 1024);
        URI catalog = URI.create(config.getValue("quarkus.rest-client.catalog.url", String.class));
        return new ServiceCalls(mutinyVertx, Map.of("catalog", catalog), service -> numbers);
    }
}
