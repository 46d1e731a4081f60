package org.modelmarket.gateway.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Stands in for catalog, search, artifact and billing at HTTP level, one server each: tests script the answer and
 * read back what the gateway sent. Unscripted calls answer 500 so that a missing script cannot pass silently.
 */
@ApplicationScoped
public class DownstreamStub {

    static final List<String> SERVICES = List.of("catalog", "search", "artifact", "billing");
    static final String PORT_PREFIX = "modelmarket.test.stub-port.";

    /** What the gateway sent, with its whole body. */
    public record Recorded(String method, String uri, MultiMap headers, Buffer body) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    /** A scripted answer to one request. */
    @FunctionalInterface
    public interface Answer {
        void answer(Recorded request, HttpServerResponse response);
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, List<Recorded>> recorded = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent event, Vertx vertx) {
        for (String service : SERVICES) {
            int port = ConfigProvider.getConfig().getValue(PORT_PREFIX + service, Integer.class);
            // Answers Expect: 100-continue as artifact-service's blocking uploads do (a client that waits for it, such
            // as the JDK client with expectContinue, would otherwise wait for ever).
            HttpServer server = vertx.createHttpServer(
                            new io.vertx.core.http.HttpServerOptions().setHandle100ContinueAutomatically(true))
                    .requestHandler(request -> request.body().onSuccess(body -> {
                        Recorded call = new Recorded(
                                request.method().name(),
                                request.uri(),
                                MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                                body);
                        recorded.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>())
                                .add(call);
                        Answer answer = answers.get(service);
                        if (answer == null) {
                            request.response().setStatusCode(500).end("no answer scripted for " + service);
                        } else {
                            answer.answer(call, request.response());
                        }
                    }));
            server.listen(port, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .join();
        }
    }

    /** Forgets scripts and recordings; call before each test. */
    public void reset() {
        answers.clear();
        recorded.clear();
    }

    /** Scripts every answer of {@code service}. */
    public void answer(String service, Answer answer) {
        answers.put(service, answer);
    }

    /** {@code service} answers with {@code status} and a JSON (or problem+json for 4xx/5xx) body. */
    public void json(String service, int status, String body) {
        String type = status >= 400 ? "application/problem+json" : "application/json";
        answer(
                service,
                (request, response) -> response.setStatusCode(status)
                        .putHeader("Content-Type", type)
                        .end(body));
    }

    /** {@code service} drops every connection without answering, as a crashed process would look. */
    public void down(String service) {
        answer(service, (request, response) -> response.reset());
    }

    /** Every request the gateway sent to {@code service} since the last reset. */
    public List<Recorded> calls(String service) {
        return recorded.getOrDefault(service, List.of());
    }

    /** The only request the gateway sent to {@code service}; fails if there were none or several. */
    public Recorded onlyCall(String service) {
        List<Recorded> calls = calls(service);
        if (calls.size() != 1) {
            throw new AssertionError("expected one call to " + service + " but got " + calls.size() + ": "
                    + calls.stream().map(c -> c.method() + " " + c.uri()).toList());
        }
        return calls.get(0);
    }
}
