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
import org.modelmarket.gateway.config.GatewayConfig;
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
 * <p>With {@code modelmarket.gateway.files.download=redirect}, a {@code GET} is answered with artifact-service's
 * {@code 307} to its self-authorizing signed URL instead (the bytes then bypass this relay, or the gateway entirely
 * when signed URLs point at artifact-service or an object store), carrying {@code X-Repo-Commit}, {@code ETag},
 * {@code X-Linked-Etag} and {@code X-Linked-Size} on the {@code 307} itself (HF-PROTOCOL §2.3, §6.7); except the
 * JS client's one-byte probe, answered here so that the client keeps the resolve URL (see {@link #firstByteProbe}). A
 * {@code HEAD} always answers the metadata itself: py2 follows a same-host redirect on HEAD and older clients never
 * follow an absolute one, so answering directly is the one choice every client's metadata call handles. A Vert.x
 * route rather than a REST resource, like the pass-through routes: the bytes are piped from the service's response
 * to the caller's.
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

    /** The headers of a redirect to the signed URL that the Hub clients read on the 3xx itself. */
    private static final List<String> REDIRECT_HEADERS =
            List.of("Location", "ETag", "X-Repo-Commit", "X-Linked-Etag", "X-Linked-Size", "Cache-Control");

    /** What asks artifact-service for a 307 to its signed URL instead of the bytes (see the gateway's files mode). */
    static final String REDIRECT_HEADER = "X-ModelMarket-Redirect";

    private final HttpClient http;
    private final HubServices services;
    private final ObjectMapper json;
    private volatile GatewayConfig.Files.Mode downloads;

    ResolveRoutes(Vertx vertx, HubServices services, ObjectMapper json, GatewayConfig config) {
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(false));
        this.services = services;
        this.json = json;
        this.downloads = config.files().download();
    }

    /**
     * Switches between relay and redirect at run time. The mode is configuration; the tests use this to check both
     * within the module's one Quarkus boot instead of a test profile of their own.
     */
    public void downloads(GatewayConfig.Files.Mode mode) {
        this.downloads = mode;
    }

    public GatewayConfig.Files.Mode downloads() {
        return downloads;
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
        try {
            // Refuses '.' and '..' (encoded as %2E%2E in the URL): artifact-service would resolve them elsewhere.
            HubServices.segment(target.ns());
            HubServices.segment(target.name());
            HubServices.segment(target.revision());
            HubServices.path(target.path());
        } catch (HubError invalid) {
            fail(routing, invalid);
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
        if (request.method() == HttpMethod.GET
                && downloads == GatewayConfig.Files.Mode.REDIRECT
                && !firstByteProbe(request.getHeader("Range"))) {
            options.putHeader(REDIRECT_HEADER, "signed");
        }
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

    /**
     * The JS client's probe ({@code Range: bytes=0-0}, HF-PROTOCOL §2.4), answered here even in redirect mode. The
     * client keeps the URL the probe ended at when it has the Hub's origin, and reads the file and every slice of it
     * from there later, without ever resolving again ({@code file-download-info.ts}, {@code WebBlob}). Signed URLs
     * expire ({@code signing.ttl}), so a probe that followed the redirect to a signed URL on the gateway's origin left
     * the client with a URL refused minutes later. Answered directly, the probe ends at the resolve URL, and each read
     * resolves again to a fresh signed URL: one byte relayed per download.
     */
    static boolean firstByteProbe(String range) {
        return range != null && range.replace(" ", "").equalsIgnoreCase("bytes=0-0");
    }

    private void answer(RoutingContext routing, HttpClientResponse response) {
        if (response.statusCode() >= 300 && response.statusCode() < 400 && response.statusCode() != 304) {
            redirect(routing, response);
            return;
        }
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

    /**
     * artifact-service's redirect to the signed URL, passed on as it is (the URL is already public: artifact-service
     * builds it on the gateway's address, its own, or an object store's) with the Hub headers of the 3xx itself.
     */
    private void redirect(RoutingContext routing, HttpClientResponse response) {
        HttpServerResponse out = routing.response().setStatusCode(response.statusCode());
        for (String name : REDIRECT_HEADERS) {
            String value = response.getHeader(name);
            if (value != null) {
                out.putHeader(name, value);
            }
        }
        if (response.getHeader("X-Linked-Etag") == null && response.getHeader("ETag") != null) {
            out.putHeader("X-Linked-Etag", response.getHeader("ETag"));
        }
        out.putHeader("Content-Length", "0");
        response.body().onComplete(ignored -> out.end());
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
        // A HEAD answer has no body: its status and Link header say the same as the problem would.
        HubServices.Reply reply = problem == null
                ? HubRepos.headReply(status, response.getHeader("Link"), target.repo())
                : new HubServices.Reply(status, io.vertx.mutiny.core.MultiMap.newInstance(response.headers()), problem);
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

    /** Writes a Hub error: headers always, the JSON body except on HEAD (also the rate limit's 429 on Hub routes). */
    public static void fail(RoutingContext routing, HubError error) {
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
