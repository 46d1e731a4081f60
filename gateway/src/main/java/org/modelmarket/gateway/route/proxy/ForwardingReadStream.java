package org.modelmarket.gateway.route.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body stream that hands every call on to another: the base of the proxy's streams that only watch what passes
 * ({@link CopyingStream}, {@link EndSignallingStream}), so each overrides just the handler it watches.
 */
abstract class ForwardingReadStream implements ReadStream<Buffer> {

    protected final ReadStream<Buffer> delegate;

    ForwardingReadStream(ReadStream<Buffer> delegate) {
        this.delegate = delegate;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        delegate.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        delegate.handler(handler);
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
