package org.modelmarket.gateway.file;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.gateway.client.ServiceCalls;
import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.route.Route;
import org.modelmarket.gateway.route.proxy.EdgeProblems;
import org.modelmarket.platform.problem.StandardProblem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Uploads that bypass the gateway, for clients that ask: a {@code PUT} of a file or of a multipart upload's part
 * sent with {@code X-ModelMarket-Redirect: signed} is answered {@code 307} to a short-lived signed upload URL of
 * artifact-service (its {@code POST .../upload-urls}, asked with the caller's own token, so artifact-service decides
 * ownership, path rules, size and quota before anything is signed), before a byte of the body is read. The client
 * sends the same request there, and the bytes never pass through the gateway.
 *
 * <p>Opt-in, because a client that does not follow redirects (curl without {@code -L}) would upload nothing and see
 * a 307; every other upload is relayed as before. The body is not wanted here: with {@code Expect: 100-continue}
 * (curl above 1 MiB; the JDK client's {@code expectContinue(true)}) the client has not sent it, and the connection is
 * closed after the answer; without it, what arrives is read and dropped before the answer, so that the client reads
 * the answer instead of a reset.
 */
@ApplicationScoped
public class UploadRedirects {

    /** The request header by which a client asks for a redirect to a signed URL (downloads take it too). */
    public static final String HEADER = "X-ModelMarket-Redirect";

    private static final Logger LOG = Logger.getLogger(UploadRedirects.class);
    private static final Pattern FILE = Pattern.compile("/api/v1/listings/([^/]+)/([^/]+)/files/(.+)");
    private static final Pattern PART =
            Pattern.compile("/api/v1/listings/([^/]+)/([^/]+)/uploads/([0-9a-fA-F-]{36})/parts/([0-9]{1,5})");
    private static final String ARTIFACT = "artifact";

    /** A redirectable upload: the listing's path segments (raw) and what to ask artifact-service to sign. */
    public record Target(String namespace, String name, Map<String, Object> request) {}

    private final ServiceCalls calls;
    private final ObjectMapper json;
    private final boolean enabled;

    UploadRedirects(ServiceCalls calls, ObjectMapper json, GatewayConfig config) {
        this.calls = calls;
        this.json = json;
        this.enabled = config.files().uploadRedirect();
    }

    /** What to sign when {@code request} on {@code route} asks for a redirect and can have one; empty: relay it. */
    public Optional<Target> target(Route route, HttpServerRequest request) {
        if (!enabled
                || request.method() != HttpMethod.PUT
                || !"signed".equalsIgnoreCase(request.getHeader(HEADER))
                || !"artifact".equals(route.service())) {
            return Optional.empty();
        }
        String path = request.path();
        Matcher file = FILE.matcher(path);
        if (route.template().endsWith("/files/{path}") && file.matches()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("path", decode(file.group(3)));
            String length = request.getHeader("Content-Length");
            if (length != null && length.matches("[0-9]{1,18}")) {
                body.put("size", Long.parseLong(length));
            }
            return Optional.of(new Target(file.group(1), file.group(2), body));
        }
        Matcher part = PART.matcher(path);
        if (route.template().endsWith("/uploads/{rest}") && part.matches()) {
            return Optional.of(new Target(
                    part.group(1),
                    part.group(2),
                    Map.of("upload", part.group(3), "part", Integer.parseInt(part.group(4)))));
        }
        return Optional.empty();
    }

    /**
     * Asks artifact-service to sign {@code target} for the caller ({@code authorization}: the caller's token, or the
     * JWT the gateway forwards for an API token) and answers the paused request: {@code 307} to the signed URL, or
     * the service's refusal as it is; {@code relay} runs instead when the URL would lead back here (no public
     * address of artifact-service's own is configured, {@code modelmarket.artifact.signing.base-url}).
     */
    public void redirect(RoutingContext routing, Target target, String authorization, Runnable relay) {
        Context context = Vertx.currentContext();
        byte[] body;
        try {
            body = json.writeValueAsBytes(target.request());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always serializable", e);
        }
        calls.send(
                        ARTIFACT,
                        ServiceCalls.Call.of(
                                        HttpMethod.POST,
                                        "/api/v1/listings/" + target.namespace() + "/" + target.name() + "/upload-urls")
                                .header("Authorization", authorization)
                                .json(body))
                .subscribe()
                .with(
                        reply -> onContext(context, () -> answer(routing, reply, relay)),
                        failure -> onContext(context, () -> unavailable(routing, failure)));
    }

    private void answer(RoutingContext routing, ServiceCalls.Reply reply, Runnable relay) {
        if (reply.status() == 201) {
            String url = url(reply);
            if (url == null) {
                unavailable(routing, new IllegalStateException("upload-urls answered without a url"));
            } else if (sameOrigin(url, routing.request())) {
                relay.run();
            } else {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Location", url);
                headers.put("Cache-Control", "no-store");
                finish(routing, 307, headers, Buffer.buffer());
            }
        } else if (reply.status() < 500) {
            // The service's refusal (401, 403, 404, 400, 413), its problem+json unchanged.
            Map<String, String> headers = new LinkedHashMap<>();
            String type = reply.header("Content-Type");
            if (type != null) {
                headers.put("Content-Type", type);
            }
            String authenticate = reply.header("WWW-Authenticate");
            if (authenticate != null) {
                headers.put("WWW-Authenticate", authenticate);
            }
            finish(routing, reply.status(), headers, reply.body().getDelegate());
        } else {
            unavailable(routing, new IllegalStateException("upload-urls answered " + reply.status()));
        }
    }

    private void unavailable(RoutingContext routing, Throwable failure) {
        EdgeProblems.Rendered problem = EdgeProblems.render(
                json,
                StandardProblem.UNAVAILABLE,
                "artifact-service could not sign the upload; try again later.",
                routing.request().path(),
                Map.of("Retry-After", "5"));
        LOG.debugf(failure, "No signed upload URL for %s", routing.request().path());
        finish(routing, problem.status(), problem.headers(), problem.body());
    }

    /**
     * Answers without taking the upload: a client that waits for {@code 100 Continue} has not sent the body, so the
     * connection (which would still expect it) is closed after the answer; otherwise what was sent is read and
     * dropped first, so that the client is not reset while it writes.
     */
    private static void finish(RoutingContext routing, int status, Map<String, String> headers, Buffer body) {
        HttpServerRequest request = routing.request();
        HttpServerResponse response = routing.response();
        if (response.headWritten()) {
            return;
        }
        response.setStatusCode(status);
        headers.forEach(response::putHeader);
        boolean waiting = "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
        if (waiting && request.version() != HttpVersion.HTTP_2) {
            response.putHeader("Connection", "close");
            response.end(body).onComplete(done -> request.connection().close());
        } else if (request.isEnded()) {
            response.end(body);
        } else {
            request.endHandler(ended -> response.end(body));
            request.handler(ignored -> {});
            request.resume();
        }
    }

    private String url(ServiceCalls.Reply reply) {
        try {
            JsonNode url = json.readTree(reply.body().getBytes()).get("url");
            return url == null || !url.isTextual() ? null : url.asText();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Whether {@code url} names the origin the request came to (the gateway itself). */
    private static boolean sameOrigin(String url, HttpServerRequest request) {
        URI uri = URI.create(url);
        String host = request.getHeader("Host");
        return uri.getRawAuthority() != null
                && host != null
                && uri.getRawAuthority().equalsIgnoreCase(host)
                && request.scheme().equalsIgnoreCase(uri.getScheme());
    }

    private static String decode(String rawPath) {
        return URI.create("http://gateway" + "/" + rawPath).getPath().substring(1);
    }

    private static void onContext(Context context, Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
