package org.modelmarket.gateway.grpc.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.client.CallerToken;
import org.modelmarket.gateway.client.ServiceCalls;
import org.modelmarket.gateway.grpc.CallDeadlines;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import io.grpc.Deadline;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * The gRPC services' calls to catalog, search and billing: a REST call on the caller's behalf (its own token, so
 * each service authorizes the caller itself) whose JSON answer is read straight into the protobuf message. The
 * {@code marketplace.v1} messages name their fields after the services' JSON (proto {@code listing_id} is JSON
 * {@code listingId}), so {@link JsonMessages} maps them by protobuf's JSON rules without hand-written mapping (the
 * same messages as {@link JsonFormat}'s parser, at a fraction of its cost), and a field a service adds is ignored
 * until the proto adds it too. {@link JsonFormat} still writes the requests' bodies.
 *
 * <p>The calls are {@link ServiceCalls}' (retries of reads, the caller's token), each bounded by the service's
 * {@code response-timeout} and by the gRPC caller's deadline ({@link CallDeadlines}: taken when the call started),
 * whichever ends first; a call past the deadline fails with {@code DEADLINE_EXCEEDED} and is not retried.
 */
@ApplicationScoped
public class JsonCalls {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final ServiceCalls services;
    private final CallerToken callerToken;
    private final PublicReads publicReads;

    JsonCalls(ServiceCalls services, CallerToken callerToken, PublicReads publicReads) {
        this.services = services;
        this.callerToken = callerToken;
        this.publicReads = publicReads;
    }

    /**
     * {@code GET pathAndQuery} of {@code service}, mapped to a message by {@code mapping}. An anonymous caller's read
     * is answered from {@link PublicReads} while the service's earlier answer is fresh there, and fills it when the
     * service marks its answer public; a caller with a token always reaches the service.
     */
    public <M extends Message> Uni<M> read(
            String service, String pathAndQuery, Class<M> type, Function<Answer, M> mapping) {
        if (!publicReads.enabled()) {
            return get(service, pathAndQuery).map(mapping);
        }
        Deadline deadline = CallDeadlines.current().orElse(null);
        return callerToken.authorization().flatMap(authorization -> {
            if (authorization.isPresent()) {
                return call(service, HttpMethod.GET, pathAndQuery, null, Map.of(), authorization, deadline)
                        .map(mapping);
            }
            String key = type.getName() + " " + service + pathAndQuery;
            Optional<M> kept = publicReads.fresh(key, type);
            if (kept.isPresent()) {
                return Uni.createFrom().item(kept.get());
            }
            return call(service, HttpMethod.GET, pathAndQuery, null, Map.of(), authorization, deadline)
                    .map(answer -> {
                        M message = mapping.apply(answer);
                        publicReads.store(key, message, answer);
                        return message;
                    });
        });
    }

    /**
     * {@link #read(String, String, Class, Function)} of a message that maps by name ({@link #parse}): a message of
     * {@code prototype}'s type.
     */
    @SuppressWarnings("unchecked") // a builder for a type builds that type
    public <M extends Message> Uni<M> read(String service, String pathAndQuery, M prototype) {
        return read(service, pathAndQuery, (Class<M>) prototype.getClass(), answer ->
                (M) parse(answer.body(), prototype.newBuilderForType()).build());
    }

    /**
     * A 2xx answer: its status, body (the service's UTF-8 bytes, read without decoding them to a {@code String}
     * first) and the headers a mapping or {@link PublicReads} may need.
     */
    public record Answer(
            int status, Buffer body, String etag, List<String> cacheControl, List<String> vary, boolean setsCookie) {}

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
        // Taken now: the gRPC Context that may carry it is current only while the call is being made.
        Deadline deadline = CallDeadlines.current().orElse(null);
        return callerToken
                .authorization()
                .flatMap(authorization -> call(service, method, pathAndQuery, body, headers, authorization, deadline));
    }

    private Uni<Answer> call(
            String service,
            HttpMethod method,
            String pathAndQuery,
            String body,
            Map<String, String> headers,
            Optional<String> authorization,
            Deadline deadline) {
        if (deadline != null && deadline.isExpired()) {
            return Uni.createFrom().failure(Status.DEADLINE_EXCEEDED.asRuntimeException());
        }
        Instant until =
                deadline == null ? null : Instant.now().plusMillis(deadline.timeRemaining(TimeUnit.MILLISECONDS));
        return services.send(
                        service,
                        ServiceCalls.Call.of(method, pathAndQuery)
                                .as(authorization)
                                .headers(headers)
                                .json(body == null ? null : body.getBytes(StandardCharsets.UTF_8))
                                .deadline(until))
                .map(reply -> {
                    reply.orThrow(service);
                    return new Answer(
                            reply.status(),
                            reply.body().getDelegate(),
                            reply.header("ETag"),
                            reply.headers().getAll("Cache-Control"),
                            reply.headers().getAll("Vary"),
                            reply.headers().contains("Set-Cookie"));
                })
                .onFailure(ServiceCalls.DeadlineExceededException.class)
                .transform(e ->
                        Status.DEADLINE_EXCEEDED.withDescription(e.getMessage()).asRuntimeException())
                .onFailure(e -> !(e instanceof DownstreamProblemException
                        || e instanceof DownstreamUnavailableException
                        || e instanceof io.grpc.StatusRuntimeException))
                .transform(e -> new DownstreamUnavailableException(service, e));
    }

    /** Reads a service's JSON answer into {@code builder} ({@link JsonMessages}); unknown fields are skipped. */
    public static <B extends Message.Builder> B parse(Buffer json, B builder) {
        return JsonMessages.merge(json.getBytes(), builder);
    }

    /** {@link #parse(Buffer, Message.Builder)} of JSON already decoded. */
    public static <B extends Message.Builder> B parse(String json, B builder) {
        return JsonMessages.merge(json, builder);
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
