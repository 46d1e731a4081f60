package org.modelmarket.gateway.route.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A service's answer on its way to the caller that is also copied into a buffer, for the {@link EdgeCache}. */
final class CopyingStream implements ReadStream<Buffer> {

    private final ReadStream<Buffer> delegate;
    private final Buffer copy;

    CopyingStream(ReadStream<Buffer> delegate, Buffer copy) {
        this.delegate = delegate;
        this.copy = copy;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        delegate.exceptionHandler(handler);
        return this;
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

    @Override
    public ReadStream<Buffer> pause() {
        delegate.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        delegate.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        delegate.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        delegate.endHandler(handler);
        return this;
    }
}
