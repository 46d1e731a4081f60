package org.modelmarket.gateway.route;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

/**
 * A service's answer on its way back to the caller: status and the headers that matter at once, the body as it
 * arrives. The body must be consumed (or cancelled), as it holds a downstream connection.
 *
 * @param status  the service's status (2xx, 3xx or 4xx; 5xx never get here)
 * @param headers the response headers passed on, {@code Location} already in the gateway's address space
 */
public record Forwarded(int status, Map<String, List<String>> headers, Multi<Buffer> body) {}
