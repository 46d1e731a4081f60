package org.modelmarket.platform.tracing;

import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * W3C trace context ({@code traceparent}) to and from strings, so that a trace survives the hops OpenTelemetry's
 * instrumentation cannot see: a row in the outbox table and the {@code traceparent} attribute of a CloudEvent
 * (the CloudEvents distributed-tracing extension).
 */
public final class TraceContext {

    /** The W3C header, and the CloudEvents extension attribute of the same name. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContext() {}

    /** The current span as a {@code traceparent} value, or {@code null} when no valid span is active. */
    public static String currentTraceparent() {
        return traceparent(Span.current().getSpanContext());
    }

    /** {@code 00-<trace id>-<span id>-<flags>}, or {@code null} for an invalid context. */
    public static String traceparent(SpanContext span) {
        if (span == null || !span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex();
    }

    /**
     * The context a {@code traceparent} value describes, as the parent of further spans; the root context when the
     * value is absent or malformed (a trace must never make a message fail).
     */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP_GETTER);
    }

    /** The trace id inside a {@code traceparent} value, or {@code null}. */
    public static String traceId(String traceparent) {
        SpanContext span = Span.fromContext(fromTraceparent(traceparent)).getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }
}
