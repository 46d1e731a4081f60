package org.modelmarket.gateway.edge;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, a new UUID otherwise. The id
 * is echoed in the response header, sent to the services, and put in the log context ({@code %X{requestId}}), so one
 * request can be found in every log line it caused.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    /** What the routing context holds the id under. */
    public static final String ATTRIBUTE = "modelmarket.request-id";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS + 1).handler(RequestIds::assign);
    }

    static void assign(RoutingContext context) {
        String offered = context.request().getHeader(HEADER);
        String id = offered != null && SANE.matcher(offered).matches() ? offered : newId();
        context.put(ATTRIBUTE, id);
        // Quarkus keeps the MDC in the request's duplicated Vert.x context, so it follows the request.
        MDC.put(MDC_KEY, id);
        context.addHeadersEndHandler(v -> context.response().headers().set(HEADER, id));
        context.next();
    }

    /** The id of the request {@code context} handles. */
    public static String of(RoutingContext context) {
        String id = context.get(ATTRIBUTE);
        return id == null ? newId() : id;
    }

    /**
     * A new id in the UUID version 4 format, from {@link ThreadLocalRandom}: an id must be unique, not unguessable, and
     * {@link UUID#randomUUID()} draws from the one shared {@code SecureRandom} (a lock and a system call's worth of
     * work on every request the caller sent without an id).
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
