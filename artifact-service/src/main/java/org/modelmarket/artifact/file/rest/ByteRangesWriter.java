package org.modelmarket.artifact.file.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

/**
 * Writes a {@link ByteRangesBody} without blocking the event loop and with constant memory: the file is read through
 * Vert.x's asynchronous file API one slice at a time, and the next slice is read only once the previous one was
 * written to the connection. Several ranges cannot go out zero-copy (Vert.x's {@code sendFile} sends one region and
 * ends the answer), so they pass through a 64 KiB buffer; clients use multi-range requests for small pieces.
 */
@Provider
public class ByteRangesWriter implements ServerMessageBodyWriter<ByteRangesBody> {

    private static final Logger LOG = Logger.getLogger(ByteRangesWriter.class);
    private static final int SLICE = 64 * 1024;

    private final Vertx vertx;

    public ByteRangesWriter(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public boolean isWriteable(
            Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return ByteRangesBody.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return ByteRangesBody.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(ByteRangesBody body, Type genericType, ServerRequestContext context) {
        ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
        ServerHttpResponse response = context.serverResponse();
        request.suspend();
        response.setResponseHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(body.contentLength()));
        vertx.fileSystem()
                .open(
                        body.file().toString(),
                        new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                .compose(file -> writeParts(body, file, response, 0).eventually(() -> file.close()))
                .compose(done -> Future.fromCompletionStage(response.write(body.closing())))
                .onSuccess(done -> {
                    response.end();
                    request.resume();
                })
                .onFailure(failure -> {
                    if (response.headWritten()) {
                        // Part of the body is out: the only honest end is to cut the connection.
                        LOG.warnf("Multi-range answer of %s cut short: %s", body.file(), failure.toString());
                        response.reset();
                        request.resume();
                    } else {
                        request.resume(failure);
                    }
                });
    }

    private Future<Void> writeParts(ByteRangesBody body, AsyncFile file, ServerHttpResponse response, int index) {
        if (index == body.ranges().size()) {
            return Future.succeededFuture();
        }
        ByteRange range = body.ranges().get(index);
        return Future.fromCompletionStage(response.write(body.partHeader(index)))
                .compose(written -> writeSlices(file, response, range.first(), range.length()))
                .compose(written -> writeParts(body, file, response, index + 1));
    }

    private Future<Void> writeSlices(AsyncFile file, ServerHttpResponse response, long position, long remaining) {
        if (remaining == 0) {
            return Future.succeededFuture();
        }
        int length = (int) Math.min(SLICE, remaining);
        return file.read(Buffer.buffer(length), 0, position, length).compose(slice -> {
            if (slice.length() == 0) {
                return Future.failedFuture(new IOException("The file ended before the range did"));
            }
            return Future.fromCompletionStage(response.write(slice.getBytes()))
                    .compose(written ->
                            writeSlices(file, response, position + slice.length(), remaining - slice.length()));
        });
    }

    @Override
    public void writeTo(
            ByteRangesBody body,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out) {
        throw new UnsupportedOperationException("Written by writeResponse only");
    }
}
