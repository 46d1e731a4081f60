package org.modelmarket.gateway.grpc;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

/**
 * Takes the deadline a gRPC client sent ({@code grpc-timeout}) when its call starts and keeps it for the whole call,
 * so that every backend call made for it ends at that deadline, however late in the call it is made.
 *
 * <p>Quarkus' gRPC server (on the HTTP port, Vert.x' bridge) does not read {@code grpc-timeout} into
 * {@link Context#getDeadline()}, and a {@code Context} is only current inside the server's callbacks: a backend call
 * made after an asynchronous step (the API token check, the identity) runs outside it. The deadline is therefore kept
 * in the call's own Vert.x duplicated context, which Quarkus creates per call and which every step of the call runs
 * on.
 */
@ApplicationScoped
@GlobalInterceptor
// Just inside Quarkus' interceptor that gives each call its duplicated context (Integer.MAX_VALUE - 5) and before the
// security interceptor (Integer.MAX_VALUE - 100), so the clock starts when the call arrives, not once it is
// authenticated.
public class CallDeadlines implements ServerInterceptor, Prioritized {

    /** The timeout header of the gRPC HTTP/2 protocol: up to 8 digits and a unit (H, M, S, m, u, n). */
    static final Metadata.Key<String> TIMEOUT = Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

    private static final String LOCAL = CallDeadlines.class.getName();

    @Override
    public int getPriority() {
        return Integer.MAX_VALUE - 10;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Deadline deadline = parse(headers.get(TIMEOUT));
        if (deadline != null && VertxContext.isOnDuplicatedContext()) {
            ContextLocals.put(LOCAL, deadline);
        }
        return next.startCall(call, headers);
    }

    /**
     * The current gRPC call's deadline: the one taken when it started, else the current {@link Context}'s (a call
     * made in a context of its own); empty when the caller set none or when no gRPC call is under way.
     */
    public static Optional<Deadline> current() {
        if (VertxContext.isOnDuplicatedContext()) {
            Optional<Deadline> kept = ContextLocals.get(LOCAL);
            if (kept.isPresent()) {
                return kept;
            }
        }
        return Optional.ofNullable(Context.current().getDeadline());
    }

    /** A {@code grpc-timeout} value as a deadline from now; null when absent or malformed (then there is none). */
    static Deadline parse(String timeout) {
        if (timeout == null || timeout.length() < 2 || timeout.length() > 9) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(timeout, 0, timeout.length() - 1, 10);
        } catch (NumberFormatException e) {
            return null;
        }
        if (amount < 0) {
            return null;
        }
        TimeUnit unit = switch (timeout.charAt(timeout.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null ? null : Deadline.after(amount, unit);
    }
}
