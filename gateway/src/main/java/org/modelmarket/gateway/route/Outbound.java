package org.modelmarket.gateway.route;

import java.util.Map;
import java.util.Optional;

import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.streams.ReadStream;

/**
 * A caller's request as it goes to a service.
 *
 * @param method        the HTTP method
 * @param uri           the raw path and query, exactly as the caller sent them
 * @param headers       the request headers passed on (content type, conditionals, ...), without authorization
 * @param authorization the caller's validated bearer token, empty for anonymous callers
 * @param body          the caller's body, streamed; {@code null} for reads
 * @param publicOrigin  the gateway's origin as the caller addressed it, e.g. {@code https://market.example}, so
 *                      that {@code Location} headers point at the gateway rather than at the service
 */
public record Outbound(
        String method,
        String uri,
        Map<String, String> headers,
        Optional<String> authorization,
        ReadStream<Buffer> body,
        String publicOrigin) {

    /** Reads are retried when the service does not answer; writes never are (their body cannot be replayed). */
    public boolean idempotent() {
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
