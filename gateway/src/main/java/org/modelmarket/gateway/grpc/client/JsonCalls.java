package org.modelmarket.gateway.grpc.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.modelmarket.gateway.client.CallerToken;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The gRPC services' calls to catalog, search and billing: a REST call on the caller's behalf (its own token, so
 * each service authorizes the caller itself) whose JSON answer is read straight into the protobuf message. The
 * {@code marketplace.v1} messages name their fields after the services' JSON (proto {@code listing_id} is JSON
 * {@code listingId}), so {@link JsonFormat} maps them without hand-written mapping, and a field a service adds is
 * ignored until the proto adds it too.
 *
 * <p>Each call is bounded by the service's {@code response-timeout} and by the gRPC caller's deadline, whichever
 * ends first; a call past the deadline fails with {@code DEADLINE_EXCEEDED}.
 */
@ApplicationScoped
public class JsonCalls {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final HttpClient http;
    private final Map<String, URI> bases = new HashMap<>();
    private final GatewayConfig gateway;
    private final CallerToken callerToken;

    JsonCalls(Vertx vertx, Config config, GatewayConfig gateway, CallerToken callerToken) {
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int)
                        gateway.downstream("catalog").connectTimeout().toMillis()));
        this.gateway = gateway;
        this.callerToken = callerToken;
        for (String service : List.of("catalog", "search", "billing")) {
            String url = config.getValue("quarkus.rest-client." + service + ".url", String.class);
            bases.put(service, URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url));
        }
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }

    /** A 2xx answer: its body and the headers a mapping may need. */
    public record Answer(String body, String etag) {}

    /** {@code GET pathAndQuery} (already encoded) of {@code service}. */
    public Uni<Answer> get(String service, String pathAndQuery) {
        return call(service, HttpMethod.GET, pathAndQuery, null, Map.of());
    }

    /** {@code method pathAndQuery} with {@code body} (a message, sent as its JSON; may be null) and extra headers. */
    public Uni<Answer> send(
            String service,
            HttpMethod method,
            String pathAndQuery,
            MessageOrBuilder body,
            Map<String, String> headers) {
        return call(service, method, pathAndQuery, body == null ? null : json(body), headers);
    }

    /** {@code method pathAndQuery} with a JSON body already written. */
    public Uni<Answer> sendJson(String service, HttpMethod method, String pathAndQuery, String body) {
        return call(service, method, pathAndQuery, body, Map.of());
    }

    private Uni<Answer> call(
            String service, HttpMethod method, String pathAndQuery, String body, Map<String, String> headers) {
        Deadline deadline = Context.current().getDeadline();
        Duration timeout = gateway.downstream(service).responseTimeout();
        if (deadline != null) {
            if (deadline.isExpired()) {
                return Uni.createFrom().failure(Status.DEADLINE_EXCEEDED.asRuntimeException());
            }
            timeout = Duration.ofMillis(Math.min(timeout.toMillis(), deadline.timeRemaining(TimeUnit.MILLISECONDS)));
        }
        // Which bound ends the call decides the status: the caller's deadline, or a service that is too slow.
        boolean callerDeadline = deadline != null
                && timeout.compareTo(gateway.downstream(service).responseTimeout()) < 0;
        Duration bound = timeout;
        return callerToken.authorization().flatMap(authorization -> {
            RequestOptions options = new RequestOptions()
                    .setMethod(method)
                    .setAbsoluteURI(bases.get(service) + pathAndQuery)
                    .putHeader("Accept", "application/json")
                    .setIdleTimeout(bound.toMillis());
            authorization.ifPresent(value -> options.putHeader("Authorization", value));
            headers.forEach(options::putHeader);
            if (body != null) {
                options.putHeader("Content-Type", "application/json");
            }
            return http.request(options)
                    .flatMap(request -> body == null ? request.send() : request.send(body))
                    .flatMap(response -> response.body().map(answer -> {
                        int status = response.statusCode();
                        String text = answer.toString(StandardCharsets.UTF_8);
                        if (status >= 500) {
                            throw new DownstreamUnavailableException(service, status);
                        }
                        if (status >= 400) {
                            throw new DownstreamProblemException(
                                    service, status, response.getHeader("Content-Type"), text);
                        }
                        return new Answer(text, response.getHeader("ETag"));
                    }))
                    .ifNoItem()
                    .after(bound)
                    .failWith(() -> callerDeadline
                            ? Status.DEADLINE_EXCEEDED
                                    .withDescription(service + " did not answer within the call's deadline")
                                    .asRuntimeException()
                            : new DownstreamUnavailableException(service, new java.util.concurrent.TimeoutException()))
                    .onFailure(failure -> !(failure instanceof DownstreamProblemException
                            || failure instanceof DownstreamUnavailableException
                            || failure instanceof io.grpc.StatusRuntimeException))
                    .transform(failure -> new DownstreamUnavailableException(service, failure));
        });
    }

    /** Reads a service's JSON into {@code builder}; unknown fields are skipped. */
    public static <B extends Message.Builder> B parse(String json, B builder) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new DownstreamUnavailableException("a backing service answered JSON the gateway cannot read", e);
        }
    }

    /** A message as the JSON the services read (lowerCamelCase names, default values left out). */
    public static String json(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
