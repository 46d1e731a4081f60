package org.modelmarket.gateway.client;

/**
 * A downstream resource together with its entity tag, so the gateway can hand the tag on to callers.
 *
 * @param value the resource
 * @param etag  the downstream's {@code ETag} header value, or {@code null}
 */
public record Versioned<T>(T value, String etag) {}
