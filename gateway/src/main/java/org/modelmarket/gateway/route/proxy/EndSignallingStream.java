package org.modelmarket.gateway.route.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A caller's request body on its way to the service that says when it has been read to the end: the response timeout
 * starts there, so an upload takes as long as the caller needs to send it.
 */
final class EndSignallingStream extends ForwardingReadStream {

    private final Runnable onEnd;

    EndSignallingStream(ReadStream<Buffer> delegate, Runnable onEnd) {
        super(delegate);
        this.onEnd = onEnd;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        delegate.endHandler(
                handler == null
                        ? null
                        : end -> {
                            onEnd.run();
                            handler.handle(end);
                        });
        return this;
    }
}
