package org.modelmarket.artifact.file.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.modelmarket.artifact.upload.rest.UploadResource;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the signed URLs ({@code /api/v1/signed/...}) only. A web page downloads a file through the gateway's public
 * URL, which answers CORS itself and redirects to a signed URL here; the browser then asks this origin, with
 * {@code Origin: null} (a redirect to another origin taints it), and refuses the answer unless it allows that page.
 * A signed URL is self-authorizing and takes no cookies or credentials, so any origin may read it: {@code *}, never
 * with {@code Allow-Credentials}. Every other route of the service stays without CORS (the gateway is the public
 * origin).
 */
@ApplicationScoped
public class SignedUrlCors {

    static final String PATH = "/api/v1/signed/*";

    /** What a range download and a signed upload send (uploads: one file or one part). */
    private static final String ALLOWED_HEADERS = "Range, If-Range, If-None-Match, Content-Type, "
            + FileResponses.CHECKSUM_HEADER + ", " + UploadResource.CRC32C_HEADER + ", " + FileResource.MESSAGE_HEADER;

    /** What a download page or a Hub client reads from the answer. */
    private static final String EXPOSED_HEADERS = "Content-Range, Accept-Ranges, Content-Length, ETag, "
            + FileResponses.REPO_COMMIT + ", " + FileResponses.CHECKSUM_HEADER + ", X-Request-Id";

    void register(@Observes Router router) {
        router.route(PATH).order(RouteConstants.ROUTE_ORDER_HEADERS).handler(SignedUrlCors::handle);
    }

    static void handle(RoutingContext context) {
        var request = context.request();
        var headers = context.response().headers();
        if (request.getHeader("Origin") == null) {
            context.next();
            return;
        }
        headers.set("Access-Control-Allow-Origin", "*");
        if (request.method() == HttpMethod.OPTIONS && request.getHeader("Access-Control-Request-Method") != null) {
            // A preflight: answered here, the signed token is not looked at (the real request is checked).
            headers.set("Access-Control-Allow-Methods", "GET, HEAD, PUT");
            headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            headers.set("Access-Control-Max-Age", "3600");
            context.response().setStatusCode(204).end();
            return;
        }
        headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        context.next();
    }
}
