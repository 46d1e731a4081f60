package org.modelmarket.gateway.route.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.testing.SmallBreaker;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A {@link ServiceProxy} with its own small limits in front of a stub service on a real socket: a service that is
 * slow but healthy queues callers and never opens the circuit breaker; a saturated one answers 503 with
 * {@code Retry-After} beyond the queue, still without opening it; a service that fails or is down opens it, and then
 * receives nothing until the breaker's delay has passed.
 */
@QuarkusTest
class ServiceProxyResilienceTest {

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ServiceProxy> proxies = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @AfterEach
    void close() {
        servers.forEach(server ->
                server.close().toCompletionStage().toCompletableFuture().join());
        proxies.forEach(ServiceProxy::close);
    }

    @Test
    void slowButHealthyServiceQueuesCallersAndNeverOpensTheBreaker() {
        Stub stub = stub(200, 150);
        ServiceProxy proxy = proxy(stub.port, limits(4, 200, Duration.ofSeconds(3)));
        int front = front(proxy);

        List<HttpResponse<String>> answers = concurrently(front, 64);

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(stub.maxInFlight.get()).isBetween(1, 4);
        assertThat(stub.calls.get()).isEqualTo(64);
        assertThat(proxy.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void saturatedServiceAnswers503WithRetryAfterBeyondTheQueueAndStaysClosed() {
        Stub stub = stub(200, 400);
        ServiceProxy proxy = proxy(stub.port, limits(2, 2, Duration.ofSeconds(3)));
        int front = front(proxy);

        List<HttpResponse<String>> answers = concurrently(front, 16);

        List<HttpResponse<String>> refused =
                answers.stream().filter(a -> a.statusCode() == 503).toList();
        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200, 503);
        assertThat(answers.stream().filter(a -> a.statusCode() == 200)).hasSizeGreaterThanOrEqualTo(4);
        assertThat(refused).isNotEmpty();
        assertThat(refused).allSatisfy(a -> {
            assertThat(a.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(a.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(a.body()).contains("saturated");
        });
        assertThat(stub.maxInFlight.get()).isLessThanOrEqualTo(2);
        assertThat(proxy.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void callersThatGoAwayDoNotOpenTheBreaker() throws Exception {
        Stub stub = stub(200, 500);
        ServiceProxy proxy = proxy(stub.port, limits(8, 8, Duration.ofSeconds(3)));
        int front = front(proxy);
        HttpClient impatient =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // Eight callers give up after 100 ms, long before the service answers (a benchmark's end, a closed tab).
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(impatient.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/api/v1/thing"))
                            .timeout(Duration.ofMillis(100))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call).failsWithin(Duration.ofSeconds(10));
        }
        org.awaitility.Awaitility.await().until(() -> stub.inFlight.get() == 0);

        assertThat(proxy.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(send(front).statusCode()).isEqualTo(200);
    }

    @Test
    void callersThatResetTheirConnectionDoNotOpenTheBreaker() throws Exception {
        Stub stub = stub(200, 500);
        ServiceProxy proxy = proxy(stub.port, limits(8, 8, Duration.ofSeconds(3)));
        int front = front(proxy);

        // Eight callers abort while their calls are at the service: a close with unread data or SO_LINGER 0 sends a
        // TCP reset (wrk at the end of a run), which reaches the gateway as an I/O error on the caller's connection,
        // before Vert.x marks the response closed; the proxy then resets the service's call.
        List<java.net.Socket> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            java.net.Socket caller = new java.net.Socket("127.0.0.1", front);
            caller.getOutputStream()
                    .write("GET /api/v1/thing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            callers.add(caller);
        }
        org.awaitility.Awaitility.await().until(() -> stub.inFlight.get() == 8);
        for (java.net.Socket caller : callers) {
            caller.setSoLinger(true, 0);
            caller.close();
        }
        org.awaitility.Awaitility.await().until(() -> stub.inFlight.get() == 0);

        assertThat(proxy.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(stub.calls.get()).as("an aborted call is not retried").isEqualTo(8);
        assertThat(send(front).statusCode()).isEqualTo(200);
    }

    @Test
    void failingServiceOpensTheBreakerAndIsLeftAlone() throws Exception {
        Stub stub = stub(500, 0);
        ServiceProxy proxy = proxy(stub.port, limits(8, 8, Duration.ofSeconds(3)));
        int front = front(proxy);

        for (int i = 0; i < 4; i++) {
            assertThat(send(front).statusCode()).isEqualTo(502);
        }
        assertThat(proxy.breakerState()).isEqualTo(CircuitBreakerState.OPEN);
        int callsWhenOpened = stub.calls.get();

        HttpResponse<String> whileOpen = send(front);

        assertThat(whileOpen.statusCode()).isEqualTo(503);
        assertThat(whileOpen.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(whileOpen.body()).contains("\"errorId\"");
        assertThat(stub.calls.get()).isEqualTo(callsWhenOpened);
    }

    @Test
    void downServiceOpensTheBreaker() throws Exception {
        int nobody = freePort();
        ServiceProxy proxy = proxy(nobody, limits(8, 8, Duration.ofSeconds(3)));
        int front = front(proxy);

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> answer = send(front);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("unavailable");
        }

        // Each call is tried three times (connect errors are always retried): the window of 4 is full of failures.
        assertThat(proxy.breakerState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void noAnswerInTimeIsAFailureAndIsNotAskedAgain() throws Exception {
        Stub stub = stub(200, 600);
        ServiceProxy proxy = proxy(stub.port, limits(8, 8, Duration.ofMillis(200)));
        int front = front(proxy);

        long started = System.nanoTime();
        HttpResponse<String> late = send(front);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.body()).contains("unavailable");
        // A hung service is asked once: the caller waits one response timeout, not three (the retries of a read
        // are for resets and 502/503/504). Not a timing assertion: the stub would have answered at 600 ms.
        assertThat(stub.calls.get()).isEqualTo(1);
        assertThat(tookMs).as("given up before the stub's answer").isLessThan(600);
    }

    // --- a stub service, a front server, concurrent callers

    /** A service that answers {@code status} after {@code delayMs}, counting calls and the most at once. */
    private static final class Stub {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        int port;
    }

    private Stub stub(int status, long delayMs) {
        Stub stub = new Stub();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            stub.calls.incrementAndGet();
            int now = stub.inFlight.incrementAndGet();
            stub.maxInFlight.accumulateAndGet(now, Math::max);
            Runnable answer = () -> {
                stub.inFlight.decrementAndGet();
                request.response()
                        .setStatusCode(status)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"ok\":" + (status < 500) + "}");
            };
            if (delayMs == 0) {
                answer.run();
            } else {
                vertx.setTimer(delayMs, id -> answer.run());
            }
        });
        servers.add(server);
        stub.port = server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join()
                .actualPort();
        return stub;
    }

    private ServiceProxy proxy(int port, GatewayConfig.Downstream limits) {
        ServiceProxy proxy = new ServiceProxy(
                vertx,
                "stubbed",
                URI.create("http://127.0.0.1:" + port),
                limits,
                json,
                W3CTraceContextPropagator.getInstance());
        proxies.add(proxy);
        return proxy;
    }

    /** A plain Vert.x server that hands every request to {@code proxy}, as the gateway's route does. */
    private int front(ServiceProxy proxy) {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            proxy.proxy(
                    request, new ServiceProxy.Forwarding("http://localhost", "test-request", "127.0.0.1", Map.of()));
        });
        servers.add(server);
        return server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join()
                .actualPort();
    }

    private HttpResponse<String> send(int port) throws Exception {
        return http.send(request(port), HttpResponse.BodyHandlers.ofString());
    }

    private List<HttpResponse<String>> concurrently(int port, int callers) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            calls.add(http.sendAsync(request(port), HttpResponse.BodyHandlers.ofString()));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    private static HttpRequest request(int port) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/thing"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The small breaker, two retries, and these limits. */
    private static GatewayConfig.Downstream limits(int maxConcurrent, int maxQueued, Duration responseTimeout) {
        return SmallBreaker.downstream(responseTimeout, 2, maxConcurrent, maxQueued);
    }
}
