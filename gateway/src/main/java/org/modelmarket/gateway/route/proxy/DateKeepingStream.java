package org.modelmarket.gateway.route.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

/**
 * A service's answer on its way to the caller that puts the service's own {@code Date} back on the caller's response
 * once vertx-http-proxy has stamped its own. The library (4.5) parses every relayed {@code Date} with a
 * {@code DateTimeFormatter} and formats it again ({@code ProxiedResponse.send}), the largest single cost of its relay
 * in the gateway's profile; without a {@code Date} it stamps the current time instead (a format, no parse). So the
 * service's value is taken off before the relay and set back when the relay starts reading the body: the pipe
 * registers its handler after the library has put its headers and before the head is written.
 */
final class DateKeepingStream extends ForwardingReadStream {

    private final HttpServerResponse response;
    private String date;

    DateKeepingStream(ReadStream<Buffer> delegate, HttpServerResponse response, String date) {
        super(delegate);
        this.response = response;
        this.date = date;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (date != null && handler != null && !response.headWritten()) {
            response.headers().set(HttpHeaders.DATE, date);
            date = null;
        }
        return super.handler(handler);
    }
}
