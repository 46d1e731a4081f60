package org.modelmarket.gateway.hub.resolve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.modelmarket.gateway.edge.RequestIds;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubRepos;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.hub.rest.HubErrorMapper;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code HEAD}/{@code GET /{ns}/{name}/resolve/{revision}/{path}} and {@code /raw/} (HF-PROTOCOL §2): the file of a
 * revision, relayed from artifact-service chunk by chunk with back-pressure (never held in memory), with the headers
 * the Hub clients need ({@code X-Repo-Commit}, a quoted strong {@code ETag} = the SHA-256, {@code Content-Length},
 * {@code Content-Range} for ranges, {@code Accept-Ranges}), uncompressed and without any {@code X-Xet-*} header.
 *
 * <p>Relay rather than redirect: py2 follows a same-host redirect on HEAD and then needs the Hub headers on the
 * target, and older clients never follow absolute redirects on HEAD (HF-PROTOCOL §2.3); answering directly is the
 * one choice every client handles. A Vert.x route rather than a REST resource, like the pass-through routes: the
 * bytes are piped from the service's response to the caller's.
 */
@ApplicationScoped
public class ResolveRoutes {

    private static final Logger LOG = Logger.getLogger(ResolveRoutes.class);

    /** {@code /ns/name/(resolve|raw)/revision/path}, on the raw (still encoded) path. */
    static final Pattern ROUTE = Pattern.compile("^/([^/]+)/([^/]+)/(resolve|raw)/([^/]+)/(.+)$");

    /** Request headers passed on to artifact-service. */
    private static final List<String> FORWARDED = List.of("Range", "If-Range", "If-None-Match");

    /** Response headers passed back to the caller. */
    private static final List<String> RETURNED =
            List.of("Content-Length", "Content-Range", "ETag", "X-Repo-Commit", "Accept-Ranges", "X-Checksum-Sha256");

    private final HttpClient http;
    private final HubServices services;
    private final ObjectMapper json;

    ResolveRoutes(Vertx vertx, HubServices services, ObjectMapper json) {
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(false));
        this.services = services;
        this.json = json;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    void register(@Observes Router router) {
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            router.routeWithRegex(method, ROUTE.pattern())
                    .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                    .handler(this::handle)
                    // Lazy authentication reports a bad token by failing the routing context as well: answer it
                    // the Hub's way rather than with the platform's problem.
                    .failureHandler(this::failure);
        }
    }

    /** What the URL names, decoded. */
    record Target(String ns, String name, String revision, String path) {

        String repo() {
            return ns + "/" + name;
        }
    }

    private void handle(RoutingContext routing) {
        Matcher matcher = ROUTE.matcher(routing.request().path());
        if (!matcher.matches()) {
            routing.next();
            return;
        }
        Target target;
        try {
            target = new Target(
                    decode(matcher.group(1)),
                    decode(matcher.group(2)),
                    decode(matcher.group(4)),
                    decode(matcher.group(5)));
        } catch (IllegalArgumentException e) {
            fail(routing, new HubError(400, null, "The URL is not validly percent-encoded"));
            return;
        }
        Context context = Vertx.currentContext();
        QuarkusHttpUser.getSecurityIdentity(routing, null)
                .subscribe()
                .with(
                        identity -> context.runOnContext(v -> relay(routing, target, HubCaller.of(identity))),
                        failure -> context.runOnContext(v -> fail(
                                routing,
                                failure instanceof AuthenticationException
                                        ? HubError.invalidCredentials()
                                        : new HubError(503, null, "The identity provider could not be reached"))));
    }

    private void failure(RoutingContext routing) {
        if (routing.failure() instanceof AuthenticationException) {
            fail(routing, HubError.invalidCredentials());
        } else {
            routing.next();
        }
    }

    private void relay(RoutingContext routing, Target target, HubCaller caller) {
        HttpServerRequest request = routing.request();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setAbsoluteURI(services.base("artifact") + "/api/v1/listings/" + HubServices.segment(target.ns())
                        + "/" + HubServices.segment(target.name()) + "/files/" + HubServices.path(target.path())
                        + "?revision=" + HubServices.query(HubRepos.revision(target.revision())))
                // Model files are sent as stored: never compressed.
                .putHeader("Accept-Encoding", "identity")
                .putHeader(RequestIds.HEADER, RequestIds.of(routing));
        caller.authorization().ifPresent(value -> options.putHeader("Authorization", value));
        for (String name : FORWARDED) {
            String value = request.getHeader(name);
            if (value != null) {
                options.putHeader(name, value);
            }
        }
        http.request(options)
                .compose(outbound -> outbound.send())
                .onSuccess(response -> {
                    if (response.statusCode() >= 400) {
                        response.body()
                                .onSuccess(body -> failFrom(routing, target, caller, response, body.getBytes()))
                                .onFailure(e -> fail(routing, unavailable(e)));
                    } else {
                        answer(routing, response);
                    }
                })
                .onFailure(e -> fail(routing, unavailable(e)));
    }

    private void answer(RoutingContext routing, HttpClientResponse response) {
        HttpServerResponse out = routing.response().setStatusCode(response.statusCode());
        for (String name : RETURNED) {
            String value = response.getHeader(name);
            if (value != null) {
                out.putHeader(name, value);
            }
        }
        String etag = response.getHeader("ETag");
        if (etag != null) {
            out.putHeader("X-Linked-Etag", etag);
        }
        String size = totalSize(response);
        if (size != null) {
            out.putHeader("X-Linked-Size", size);
        }
        if (response.statusCode() == 200 || response.statusCode() == 206) {
            out.putHeader("Content-Type", "application/octet-stream");
        }
        if (routing.request().method() == HttpMethod.HEAD || response.statusCode() == 304) {
            response.body().onComplete(ignored -> out.end());
            return;
        }
        // Back-pressure both ways: the service is read only as fast as the caller takes the bytes.
        response.pipeTo(out).onFailure(e -> {
            LOG.debugf("Relay of %s ended early: %s", routing.request().path(), e.getMessage());
            routing.request().connection().close();
        });
    }

    private static String totalSize(HttpClientResponse response) {
        String range = response.getHeader("Content-Range");
        if (range != null && range.contains("/")) {
            String total = range.substring(range.indexOf('/') + 1).trim();
            return "*".equals(total) ? null : total;
        }
        return response.statusCode() == 200 ? response.getHeader("Content-Length") : null;
    }

    private void failFrom(
            RoutingContext routing, Target target, HubCaller caller, HttpClientResponse response, byte[] body) {
        int status = response.statusCode();
        com.fasterxml.jackson.databind.JsonNode problem = parse(body);
        if (problem == null) {
            // A HEAD answer has no body: its status and Link header say the same as the problem would.
            problem = json.createObjectNode()
                    .put("type", "https://modelmarket.org/problems/" + slugOf(status))
                    .put("detail", linkDetail(target, response.getHeader("Link")));
        }
        HubServices.Reply reply =
                new HubServices.Reply(status, io.vertx.mutiny.core.MultiMap.newInstance(response.headers()), problem);
        if (status == 416) {
            fail(
                    routing,
                    new HubError(
                            416,
                            null,
                            reply.detail().isEmpty() ? "Range not satisfiable" : reply.detail(),
                            response.getHeader("Content-Range") == null
                                    ? java.util.Map.of()
                                    : java.util.Map.of("Content-Range", response.getHeader("Content-Range"))));
            return;
        }
        HubError error = HubRepos.error(reply, target.repo(), caller);
        if (status != 404) {
            fail(routing, error);
            return;
        }
        // Which is missing, the listing, the revision or the file? The commit lookup says, and names the commit
        // of a missing file so that clients cache its absence (HF-PROTOCOL §2.1).
        Context context = Vertx.currentContext();
        services.get(
                        "artifact",
                        "/api/v1/listings/" + HubServices.segment(target.ns()) + "/"
                                + HubServices.segment(target.name()) + "/commits/"
                                + HubServices.segment(HubRepos.revision(target.revision())),
                        caller)
                .subscribe()
                .with(
                        commit -> context.runOnContext(v -> fail(
                                routing,
                                commit.ok() && commit.body() != null
                                        ? HubRepos.entryNotFound(
                                                target.repo(),
                                                target.path(),
                                                commit.body().path("id").asText(null))
                                        : HubRepos.error(commit, target.repo(), caller))),
                        e -> context.runOnContext(v -> fail(routing, error)));
    }

    private static String slugOf(int status) {
        return switch (status) {
            case 401 -> "login-required";
            case 402 -> "subscription-required";
            case 403 -> "terms-not-accepted";
            case 404 -> "file-not-found";
            default -> "";
        };
    }

    private static String linkDetail(Target target, String link) {
        if (link == null || !link.contains("<") || !link.contains(">")) {
            return "";
        }
        String url = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        return link.contains("subscribe")
                ? target.repo() + " needs a subscription: subscribe at " + url + "."
                : target.repo() + " is gated: accept its terms with POST " + url + ".";
    }

    private com.fasterxml.jackson.databind.JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static HubError unavailable(Throwable e) {
        return new HubError(
                503, null, "artifact-service is unavailable: " + e.getMessage(), java.util.Map.of("Retry-After", "5"));
    }

    /** Writes a Hub error: headers always, the JSON body except on HEAD. */
    static void fail(RoutingContext routing, HubError error) {
        HttpServerResponse out = routing.response();
        if (out.ended()) {
            return;
        }
        if (out.headWritten()) {
            routing.request().connection().close();
            return;
        }
        out.setStatusCode(error.status()).putHeader("X-Error-Message", HubErrorMapper.headerSafe(error.getMessage()));
        if (error.code() != null) {
            out.putHeader("X-Error-Code", error.code());
        }
        error.headers().forEach(out::putHeader);
        byte[] body = new JsonObject().put("error", error.getMessage()).encode().getBytes(StandardCharsets.UTF_8);
        out.putHeader("Content-Type", "application/json");
        if (routing.request().method() == HttpMethod.HEAD) {
            out.putHeader("Content-Length", Integer.toString(body.length)).end();
        } else {
            out.end(io.vertx.core.buffer.Buffer.buffer(body));
        }
    }

    /** Percent-decoding of a path segment ({@code +} stays a plus, unlike form decoding). */
    static String decode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
