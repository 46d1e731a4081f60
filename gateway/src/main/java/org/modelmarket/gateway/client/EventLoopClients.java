package org.modelmarket.gateway.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;

/**
 * One HTTP client per Vert.x event loop, each used only from its own loop, so that a request and the pooled
 * connection it is sent on share a thread. Vert.x 4's pool hands out the most recently used free connection whatever
 * its event loop, and a connection on another loop than the caller's costs thread hand-overs (an event-loop task and a
 * selector wake-up) for the request, the answer and every chunk of its body. A service's connection budget is split
 * over the loops ({@link #perLoop}).
 *
 * @param <C> the client type (core or Mutiny Vert.x)
 */
public final class EventLoopClients<C> {

    private final EventExecutor[] loops;
    private final List<C> clients;

    /** {@code create} makes one loop's client, given the number of loops (to split a budget: {@link #perLoop}). */
    public EventLoopClients(Vertx vertx, IntFunction<C> create) {
        List<EventExecutor> found = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(found::add);
        this.loops = found.toArray(EventExecutor[]::new);
        List<C> made = new ArrayList<>(loops.length);
        for (int i = 0; i < loops.length; i++) {
            made.add(create.apply(loops.length));
        }
        this.clients = List.copyOf(made);
    }

    /** Each loop's share of {@code total} connections (at least one). */
    public static int perLoop(int total, int loops) {
        return Math.max(1, (total + loops - 1) / loops);
    }

    /** The client of the event loop this runs on (the first one off an event loop, as from a test's thread). */
    public C current() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return clients.get(i);
            }
        }
        return clients.get(0);
    }

    /** Every client, for closing. */
    public List<C> all() {
        return clients;
    }
}
