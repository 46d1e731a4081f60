package org.modelmarket.gateway.route.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;
import org.modelmarket.gateway.route.Forwarded;
import org.modelmarket.gateway.route.Outbound;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;

/**
 * Forwards pass-through routes to catalog-service and search-service over a plain Vert.x HTTP client, streaming
 * bodies both ways, with a timeout, retries (reads only) and a circuit breaker per service. A plain client rather
 * than the REST client: the REST client would buffer bodies and hide the response headers callers need (ETag,
 * Location). A 2xx, 3xx or 4xx answer is the service's answer and goes back as it is; a 5xx or no answer at all
 * fails with {@link DownstreamUnavailableException}.
 */
@ApplicationScoped
public class RouteClient {

    private static final Logger LOG = Logger.getLogger(RouteClient.class);

    /** Response headers passed back to callers; hop-by-hop and server-specific ones stay behind. */
    private static final List<String> RESPONSE_HEADERS = List.of(
            HttpHeaders.CONTENT_TYPE,
            HttpHeaders.CONTENT_LENGTH,
            HttpHeaders.ETAG,
            HttpHeaders.LAST_MODIFIED,
            HttpHeaders.CACHE_CONTROL,
            HttpHeaders.LOCATION,
            HttpHeaders.RETRY_AFTER,
            HttpHeaders.WWW_AUTHENTICATE,
            HttpHeaders.ALLOW);

    private final HttpClient http;
    private final String catalogUrl;
    private final String searchUrl;

    RouteClient(
            Vertx vertx,
            @ConfigProperty(name = "quarkus.rest-client.catalog.url") String catalogUrl,
            @ConfigProperty(name = "quarkus.rest-client.search.url") String searchUrl) {
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
        this.catalogUrl = withoutTrailingSlash(catalogUrl);
        this.searchUrl = withoutTrailingSlash(searchUrl);
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }

    /** Sends {@code call} to {@code service} ({@code catalog} or {@code search}) and opens its answer. */
    public Uni<Forwarded> forward(String service, Outbound call) {
        Uni<Forwarded> answer = switch (service) {
            case "catalog" -> call.idempotent() ? catalogRead(call) : catalogWrite(call);
            case "search" -> call.idempotent() ? searchRead(call) : searchWrite(call);
            default -> throw new IllegalArgumentException("no route client for " + service);
        };
        return answer.onFailure().transform(f -> Downstream.translate(service, f));
    }

    // One guarded method per service and kind of call, so that each service has circuits of its own. Package-private
    // so the interceptors apply (ArC intercepts self-invocation) and forward() can translate their failures too.
    // The timeout covers getting the response headers; the body then flows at the caller's pace.

    @Timeout
    @Retry
    @CircuitBreaker
    Uni<Forwarded> catalogRead(Outbound call) {
        return send("catalog", catalogUrl, call);
    }

    @Timeout
    @CircuitBreaker
    Uni<Forwarded> catalogWrite(Outbound call) {
        return send("catalog", catalogUrl, call);
    }

    @Timeout
    @Retry
    @CircuitBreaker
    Uni<Forwarded> searchRead(Outbound call) {
        return send("search", searchUrl, call);
    }

    @Timeout
    @CircuitBreaker
    Uni<Forwarded> searchWrite(Outbound call) {
        return send("search", searchUrl, call);
    }

    private Uni<Forwarded> send(String service, String baseUrl, Outbound call) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(call.method()))
                .setAbsoluteURI(baseUrl + call.uri());
        call.headers().forEach(options::putHeader);
        call.authorization().ifPresent(value -> options.putHeader(HttpHeaders.AUTHORIZATION, value));
        return http.request(options)
                .flatMap(request -> call.body() == null ? request.send() : request.send(call.body()))
                .flatMap(response -> {
                    if (response.statusCode() >= 500) {
                        return response.body().map(body -> {
                            LOG.debugf(
                                    "%s answered %d: %s",
                                    service, response.statusCode(), body.toString(StandardCharsets.UTF_8));
                            throw new DownstreamUnavailableException(service, response.statusCode());
                        });
                    }
                    // Hold the body until the caller's side subscribes; it is then read as the caller demands.
                    response.pause();
                    return Uni.createFrom()
                            .item(new Forwarded(
                                    response.statusCode(),
                                    headers(response, baseUrl, call.publicOrigin()),
                                    response.toMulti()
                                            .map(Buffer::getDelegate)
                                            // A caller that goes away must not leave the downstream connection half
                                            // read.
                                            .onCancellation()
                                            .invoke(() -> response.request().reset())));
                });
    }

    private static Map<String, List<String>> headers(HttpClientResponse response, String baseUrl, String publicOrigin) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : RESPONSE_HEADERS) {
            List<String> values = response.headers().getAll(name);
            if (!values.isEmpty()) {
                headers.put(name, new ArrayList<>(values));
            }
        }
        headers.computeIfPresent(
                HttpHeaders.LOCATION,
                (name, values) -> values.stream()
                        .map(v -> publicLocation(v, baseUrl, publicOrigin))
                        .toList());
        return headers;
    }

    /**
     * Services build absolute {@code Location}s from their own address; the gateway serves the same paths, so only
     * the origin changes. Relative locations and foreign origins are left as they are.
     */
    static String publicLocation(String location, String baseUrl, String publicOrigin) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return location;
        }
        if (!uri.isAbsolute() || publicOrigin == null) {
            return location;
        }
        URI base = URI.create(baseUrl);
        boolean sameOrigin = base.getScheme().equalsIgnoreCase(uri.getScheme())
                && base.getHost().equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
        if (!sameOrigin) {
            return location;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return publicOrigin + path + query;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
