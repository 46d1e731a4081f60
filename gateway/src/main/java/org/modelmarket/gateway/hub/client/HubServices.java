package org.modelmarket.gateway.hub.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.modelmarket.gateway.hub.HubError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The JSON reads the Hub API (and the model page) make of catalog, search, artifact and billing, over one Vert.x HTTP client, each with
 * the caller's own token: the services decide what the caller may see. Bodies here are small JSON documents; file
 * contents never pass through this class (see {@code ResolveRoutes}).
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

    private final HttpClient http;
    private final Map<String, URI> bases;
    private final ObjectMapper json;
    private final CurrentIdentityAssociation identity;

    HubServices(Vertx vertx, Config config, ObjectMapper json, CurrentIdentityAssociation identity) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        this.json = json;
        this.identity = identity;
        this.bases = Map.of(
                "catalog", base(config, "catalog"),
                "search", base(config, "search"),
                "artifact", base(config, "artifact"),
                "billing", base(config, "billing"));
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
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
        return bases.get(service);
    }

    /** GETs {@code pathAndQuery} (already encoded) from {@code service} as {@code caller}. */
    public Uni<Reply> get(String service, String pathAndQuery, HubCaller caller) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(bases.get(service) + pathAndQuery)
                .putHeader("Accept", "application/json");
        caller.authorization().ifPresent(value -> options.putHeader("Authorization", value));
        return http.request(options)
                .flatMap(request -> request.send())
                .flatMap(response -> response.body()
                        .map(body -> new Reply(response.statusCode(), response.headers(), parse(body.getBytes()))))
                .onFailure(e -> !(e instanceof HubError))
                .transform(e -> new HubError(503, null, service + " is unavailable: " + e.getMessage()));
    }

    /**
     * Sends {@code method pathAndQuery} to {@code service} as {@code caller}, with {@code body} as JSON (none when
     * null), and reads the JSON answer. For the Hub write API's small control requests; file bytes never come here.
     */
    public Uni<Reply> send(HttpMethod method, String service, String pathAndQuery, Object body, HubCaller caller) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(bases.get(service) + pathAndQuery)
                .putHeader("Accept", "application/json");
        caller.authorization().ifPresent(value -> options.putHeader("Authorization", value));
        byte[] bytes;
        try {
            bytes = body == null ? null : json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        if (bytes != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return http.request(options)
                .flatMap(request ->
                        bytes == null ? request.send() : request.send(io.vertx.mutiny.core.buffer.Buffer.buffer(bytes)))
                .flatMap(response -> response.body()
                        .map(answer -> new Reply(response.statusCode(), response.headers(), parse(answer.getBytes()))))
                .onFailure(e -> !(e instanceof HubError))
                .transform(e -> new HubError(503, null, service + " is unavailable: " + e.getMessage()));
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

    /** One path segment, percent-encoded (spaces as {@code %20}, never {@code +}). */
    public static String segment(String value) {
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

    private static URI base(Config config, String service) {
        String url = config.getValue("quarkus.rest-client." + service + ".url", String.class);
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
