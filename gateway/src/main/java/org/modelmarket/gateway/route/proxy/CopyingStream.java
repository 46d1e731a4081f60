package org.modelmarket.gateway.route.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A service's answer on its way to the caller that is also copied into a buffer, for the {@link EdgeCache}. */
final class CopyingStream extends ForwardingReadStream {

    private final Buffer copy;

    CopyingStream(ReadStream<Buffer> delegate, Buffer copy) {
        super(delegate);
        this.copy = copy;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        delegate.handler(
                handler == null
                        ? null
                        : chunk -> {
                            // Copied before it is handed on: the write may release the chunk's memory.
                            copy.appendBuffer(chunk);
                            handler.handle(chunk);
                        });
        return this;
    }
}
