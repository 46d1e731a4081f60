package org.modelmarket.deploy.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The value sets every check runs against: defaults, production (every operator on), and external engines with TLS. */
enum Renderings {
    DEFAULTS(Chart::defaults),
    PRODUCTION(Chart::production),
    EXTERNAL_SECURED(() -> Chart.render(List.of(), externalSecured()));

    private final Supplier<List<Map<String, Object>>> objects;
    private List<Map<String, Object>> rendered;

    Renderings(Supplier<List<Map<String, Object>>> objects) {
        this.objects = objects;
    }

    synchronized List<Map<String, Object>> objects() {
        if (rendered == null) {
            rendered = objects.get();
        }
        return rendered;
    }

    /** External engines reached over TLS with credentials, Ingress routes, S3, metrics, traces and trial Secrets. */
    private static Map<String, Object> externalSecured() {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("kafka.bootstrapServers", "kafka-0.kafka:9093\\,kafka-1.kafka:9093");
        set.put("kafka.tls.enabled", "true");
        set.put("kafka.tls.caSecret", "kafka-ca");
        set.put("kafka.sasl.enabled", "true");
        set.put("kafka.sasl.passwordSecret", "kafka-passwords");
        set.put("elasticsearch.protocol", "https");
        set.put("elasticsearch.username", "modelmarket");
        set.put("elasticsearch.passwordSecret", "elasticsearch");
        set.put("postgresql.sslMode", "require");
        set.put("objectStorage.enabled", "true");
        set.put("objectStorage.endpoint", "https://s3.example.com");
        set.put("objectStorage.credentialsSecret", "s3");
        set.put("services.artifact-service.autoscaling.enabled", "true");
        set.put("ingress.enabled", "true");
        set.put("ingress.rest.tlsSecret", "api-tls");
        set.put("ingress.grpc.tlsSecret", "grpc-tls");
        set.put("observability.serviceMonitor.enabled", "true");
        set.put("observability.otlpEndpoint", "http://collector:4317");
        set.put("extraSecrets.modelmarket-oidc-clients.gateway", "trial-secret");
        set.put("services.catalog-service.config.modelmarket\\.outbox\\.batch-size", "200");
        set.put("services.catalog-service.env.MODELMARKET_FEATURE", "on");
        return set;
    }
}
