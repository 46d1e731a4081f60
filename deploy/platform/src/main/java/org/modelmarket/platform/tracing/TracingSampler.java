package org.modelmarket.platform.tracing;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.jboss.logging.Logger;

import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Makes exporting traces a one-setting switch. Trace context is always created and propagated (REST, gRPC, Kafka
 * headers, outbox rows, CloudEvents), so trace ids connect the log lines of one request across services. Spans are
 * recorded, and so exported, only when an OTLP endpoint is configured ({@code quarkus.otel.exporter.otlp.endpoint}
 * or {@code quarkus.otel.exporter.otlp.traces.endpoint}); without one, every span is sampled out, so the exporter
 * never tries its default address.
 */
@Singleton
public class TracingSampler {

    private static final Logger LOG = Logger.getLogger(TracingSampler.class);

    /** The settings that switch exporting on; either one. */
    static final List<String> ENDPOINTS =
            List.of("quarkus.otel.exporter.otlp.traces.endpoint", "quarkus.otel.exporter.otlp.endpoint");

    @Produces
    @Singleton
    Sampler sampler(Config config) {
        Optional<String> configured = ENDPOINTS.stream()
                .map(config::getConfigValue)
                // Set by someone (a properties file, the environment, a system property), not Quarkus's default.
                .filter(value ->
                        value.getValue() != null && !value.getValue().isBlank() && value.getSourceOrdinal() > 0)
                .map(ConfigValue::getValue)
                .findFirst();
        if (configured.isPresent()) {
            LOG.infof("Exporting traces to %s", configured.get());
            return Sampler.parentBased(Sampler.alwaysOn());
        }
        // Sampled-out spans still carry valid trace and span ids, and propagators still pass them on.
        return Sampler.alwaysOff();
    }
}
