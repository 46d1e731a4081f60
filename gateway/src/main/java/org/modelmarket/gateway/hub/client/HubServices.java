package org.modelmarket.gateway.hub.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.client.ServiceCalls;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.MultiMap;

/**
 * The JSON reads the Hub API (and the model page) make of catalog, search, artifact and billing, each with the
 * caller's own token ({@link ServiceCalls}: timeouts, retries of reads): the services decide what the caller may see.
 * Bodies here are small JSON documents; file contents never pass through this class (see {@code ResolveRoutes}).
 */
@ApplicationScoped
public class HubServices {

    /** A service's answer: status, headers and the parsed JSON body (null when the body is not JSON). */
    public record Reply(int status, MultiMap headers, JsonNode body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem slug of an error answer ({@code .../problems/<slug>}), or "". */
        public String problemSlug() {
            if (body == null || !body.hasNonNull("type")) {
                return "";
            }
            String type = body.get("type").asText();
            return type.substring(type.lastIndexOf('/') + 1);
        }

        public String detail() {
            return body != null && body.hasNonNull("detail")
                    ? body.get("detail").asText()
                    : "";
        }
    }

    private final ServiceCalls calls;
    private final ObjectMapper json;
    private final CurrentIdentityAssociation identity;

    HubServices(ServiceCalls calls, ObjectMapper json, CurrentIdentityAssociation identity) {
        this.calls = calls;
        this.json = json;
        this.identity = identity;
    }

    /** The current caller, resolved without blocking; an invalid token fails as the Hub clients expect. */
    public Uni<HubCaller> caller() {
        return identity.getDeferredIdentity()
                .map(HubCaller::of)
                .onFailure(e -> e instanceof AuthenticationException)
                .transform(e -> HubError.invalidCredentials());
    }

    /** The base URI of {@code service}. */
    public URI base(String service) {
        return calls.base(service);
    }

    /** GETs {@code pathAndQuery} (already encoded) from {@code service} as {@code caller}. */
    public Uni<Reply> get(String service, String pathAndQuery, HubCaller caller) {
        return reply(service, ServiceCalls.Call.get(pathAndQuery).as(caller.authorization()));
    }

    /**
     * Sends {@code method pathAndQuery} to {@code service} as {@code caller}, with {@code body} as JSON (none when
     * null), and reads the JSON answer. For the Hub write API's small control requests; file bytes never come here.
     */
    public Uni<Reply> send(HttpMethod method, String service, String pathAndQuery, Object body, HubCaller caller) {
        byte[] bytes;
        try {
            bytes = body == null ? null : json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return reply(
                service,
                ServiceCalls.Call.of(method, pathAndQuery)
                        .as(caller.authorization())
                        .json(bytes));
    }

    /** The answer with its JSON body; a service that does not answer is the Hub's 503. */
    private Uni<Reply> reply(String service, ServiceCalls.Call call) {
        return calls.send(service, call)
                .map(reply -> new Reply(
                        reply.status(), reply.headers(), parse(reply.body().getBytes())))
                .onFailure(e -> !(e instanceof HubError))
                .transform(e -> new HubError(503, null, service + " is unavailable: " + cause(e).getMessage()));
    }

    /** What went wrong underneath the gateway's "unavailable" wrapper, as the Hub error has always said. */
    private static Throwable cause(Throwable failure) {
        return failure instanceof DownstreamUnavailableException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * One path segment, percent-encoded (spaces as {@code %20}, never {@code +}). {@code .} and {@code ..} are a
     * {@code 400}: encoding leaves them as they are, and the service would resolve them to another listing than the
     * one the URL names (and an API token's restriction was checked against).
     */
    public static String segment(String value) {
        if (value.equals(".") || value.equals("..")) {
            throw new HubError(400, null, "'" + value + "' is not a valid name or path segment");
        }
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A file path, each segment encoded, the slashes kept. */
    public static String path(String value) {
        return Arrays.stream(value.split("/", -1)).map(HubServices::segment).collect(Collectors.joining("/"));
    }

    /** A query parameter value. */
    public static String query(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
