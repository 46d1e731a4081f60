package org.modelmarket.gateway.file;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

/**
 * A file being streamed from artifact-service: its metadata from the response headers, then its content as it
 * arrives. The content must be consumed (or cancelled), as it holds a downstream connection.
 *
 * @param status      200, or 304 when the caller's {@code If-None-Match} matched (then the content is empty)
 * @param size        the content length, or -1 when artifact-service did not send one
 * @param sha256      the {@code X-Checksum-Sha256} header, or {@code null}
 * @param etag        the {@code ETag} header, or {@code null}
 * @param contentType the {@code Content-Type} header, or {@code null}
 * @param commit      the {@code X-Repo-Commit} header (the commit the bytes come from), or {@code null}
 * @param offset      the first byte sent: 0, or the start of a {@code 206}'s {@code Content-Range}
 */
public record FileDownload(
        int status,
        String path,
        long size,
        String sha256,
        String etag,
        String contentType,
        String commit,
        long offset,
        Multi<Buffer> content) {}
