package org.modelmarket.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.deploy.kubernetes.Chart.RELEASE;
import static org.modelmarket.deploy.kubernetes.Chart.list;
import static org.modelmarket.deploy.kubernetes.Chart.map;
import static org.modelmarket.deploy.kubernetes.Chart.ofKind;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The services are wired to what the chart renders: with the operators on, each service reaches the operator's
 * Service names and reads the Secrets the operators create; peers and config maps exist; no value is a secret.
 */
class WiringTest {

    private static Map<String, Object> container(List<Map<String, Object>> objects, String service) {
        Map<String, Object> deployment = ofKind(objects, "Deployment").stream()
                .filter(d -> Chart.name(d).equals(RELEASE + "-" + service))
                .findFirst()
                .orElseThrow();
        return list(map(deployment, "spec.template.spec"), "containers").getFirst();
    }

    private static Map<String, String> values(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        list(container, "env")
                .forEach(e -> env.put(
                        (String) e.get("name"),
                        e.containsKey("value")
                                ? String.valueOf(e.get("value"))
                                : "secret:" + map(e, "valueFrom.secretKeyRef").get("name") + "/"
                                        + map(e, "valueFrom.secretKeyRef").get("key")));
        return env;
    }

    @Test
    void withTheOperatorsEachServiceReachesTheirServicesAndSecrets() {
        List<Map<String, Object>> objects = Renderings.PRODUCTION.objects();
        Map<String, String> catalog = values(container(objects, "catalog-service"));
        assertThat(catalog)
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", RELEASE + "-kafka-kafka-bootstrap:9093")
                .containsEntry("MODELMARKET_KAFKA_PASSWORD", "secret:" + RELEASE + "-catalog-service/password")
                .containsEntry(
                        "QUARKUS_DATASOURCE_REACTIVE_URL",
                        "postgresql://" + RELEASE + "-pg-catalog-rw:5432/catalog?sslmode=require")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "secret:" + RELEASE + "-pg-catalog-app/username")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "secret:" + RELEASE + "-pg-catalog-app/password")
                .containsEntry(
                        "QUARKUS_OIDC_AUTH_SERVER_URL",
                        "http://" + RELEASE + "-keycloak-service:8080/realms/modelmarket")
                .containsEntry("QUARKUS_OIDC_TOKEN_ISSUER", "https://auth.modelmarket.example/realms/modelmarket")
                .containsEntry("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.monitoring:4317");
        Map<String, String> search = values(container(objects, "search-service"));
        assertThat(search)
                .containsEntry("QUARKUS_ELASTICSEARCH_HOSTS", RELEASE + "-search-es-http:9200")
                .containsEntry(
                        "QUARKUS_ELASTICSEARCH_PASSWORD", "secret:" + RELEASE + "-search-es-elastic-user/elastic")
                .doesNotContainKey("QUARKUS_DATASOURCE_REACTIVE_URL");
        Map<String, String> artifact = values(container(objects, "artifact-service"));
        assertThat(artifact)
                .containsEntry("MODELMARKET_ARTIFACT_BLOB_STORE", "s3")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "secret:modelmarket-s3/secret-access-key");

        // API tokens: the gateway has its own database and signs with the key pair's private half; the services
        // get only the public half, and all agree on the issuer.
        Map<String, String> gateway = values(container(objects, "gateway"));
        assertThat(gateway)
                .containsEntry(
                        "QUARKUS_DATASOURCE_REACTIVE_URL",
                        "postgresql://" + RELEASE + "-pg-gateway-rw:5432/gateway?sslmode=require")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "secret:" + RELEASE + "-pg-gateway-app/username")
                .containsEntry("MODELMARKET_GATEWAY_SIGNING_KEY", "secret:modelmarket-gateway-keys/signing-key")
                .containsEntry("MODELMARKET_GATEWAY_TOKENS_ISSUER", "https://gateway.modelmarket.local")
                .doesNotContainKey("MODELMARKET_GATEWAY_PUBLIC_KEYS");
        for (Map<String, String> service : List.of(catalog, search, artifact)) {
            assertThat(service)
                    .containsEntry("MODELMARKET_GATEWAY_PUBLIC_KEYS", "secret:modelmarket-gateway-keys/public-keys")
                    .containsEntry("MODELMARKET_GATEWAY_TOKENS_ISSUER", "https://gateway.modelmarket.local")
                    .doesNotContainKey("MODELMARKET_GATEWAY_SIGNING_KEY");
        }

        // Each operator object the services point at is rendered by the chart.
        assertThat(ofKind(objects, "Kafka")).extracting(Chart::name).containsExactly(RELEASE + "-kafka");
        assertThat(ofKind(objects, "KafkaUser")).extracting(Chart::name).contains(RELEASE + "-catalog-service");
        assertThat(ofKind(objects, "Cluster"))
                .extracting(Chart::name)
                .contains(RELEASE + "-pg-catalog", RELEASE + "-pg-gateway", RELEASE + "-pg-keycloak");
        assertThat(ofKind(objects, "Elasticsearch")).extracting(Chart::name).containsExactly(RELEASE + "-search");
        assertThat(ofKind(objects, "Keycloak")).extracting(Chart::name).containsExactly(RELEASE + "-keycloak");
    }

    @Test
    void kafkaClientsUseTlsAndScramAgainstStrimziWithThePasswordFromTheEnvironment() {
        Map<String, Object> configMap = ofKind(Renderings.PRODUCTION.objects(), "ConfigMap").stream()
                .filter(c -> Chart.name(c).equals(RELEASE + "-billing-service-config"))
                .findFirst()
                .orElseThrow();
        String properties = (String) map(configMap, "data").get("application.properties");
        assertThat(properties)
                .contains(
                        "kafka.security.protocol=SASL_SSL",
                        "kafka.sasl.mechanism=SCRAM-SHA-512",
                        "username=\"" + RELEASE + "-billing-service\"",
                        "password=\"${MODELMARKET_KAFKA_PASSWORD}\"",
                        "kafka.ssl.truststore.location=/etc/modelmarket/kafka-ca/ca.crt");
        Map<String, Object> deployment = ofKind(Renderings.PRODUCTION.objects(), "Deployment").stream()
                .filter(d -> Chart.name(d).equals(RELEASE + "-billing-service"))
                .findFirst()
                .orElseThrow();
        assertThat(String.valueOf(list(map(deployment, "spec.template.spec"), "volumes")))
                .contains("secretName=" + RELEASE + "-kafka-cluster-ca-cert");
    }

    @Test
    void signedDownloadsGoStraightToArtifactServiceAndLinksNameThePublicSite() {
        List<Map<String, Object>> objects = Renderings.EXTERNAL_SECURED.objects();
        Map<String, Object> rest = ofKind(objects, "Ingress").stream()
                .filter(i -> Chart.name(i).equals(RELEASE + "-gateway-rest"))
                .findFirst()
                .orElseThrow();
        Map<String, String> backends = new HashMap<>();
        list(map(rest, "spec"), "rules")
                .forEach(rule -> list(map(rule, "http"), "paths")
                        .forEach(p -> backends.put((String) p.get("path"), (String)
                                map(p, "backend.service").get("name"))));
        assertThat(backends)
                .containsEntry("/api/v1/signed/", RELEASE + "-artifact-service")
                .containsEntry("/", RELEASE + "-gateway");
        assertThat(values(container(objects, "artifact-service")))
                .containsEntry("MODELMARKET_ARTIFACT_ACCESS_PUBLIC_URL", "https://api.modelmarket.example");
        assertThat(values(container(objects, "gateway")))
                .containsEntry("MODELMARKET_GATEWAY_FILES_DOWNLOAD", "redirect");
        // Without a public route there is no public URL to name: no redirect, and the services keep their defaults.
        assertThat(values(container(Renderings.DEFAULTS.objects(), "artifact-service")))
                .doesNotContainKey("MODELMARKET_ARTIFACT_ACCESS_PUBLIC_URL");
        assertThat(values(container(Renderings.DEFAULTS.objects(), "gateway")))
                .doesNotContainKey("MODELMARKET_GATEWAY_FILES_DOWNLOAD");
    }

    @Test
    void everyPeerRouteBackendConfigMapAndServiceAccountIsRendered() {
        for (Renderings rendering : Renderings.values()) {
            List<Map<String, Object>> objects = rendering.objects();
            Set<String> services = new HashSet<>(
                    ofKind(objects, "Service").stream().map(Chart::name).toList());
            Set<String> configMaps = new HashSet<>(
                    ofKind(objects, "ConfigMap").stream().map(Chart::name).toList());
            Set<String> accounts = new HashSet<>(
                    ofKind(objects, "ServiceAccount").stream().map(Chart::name).toList());
            for (Map<String, Object> ingress : ofKind(objects, "Ingress")) {
                for (Map<String, Object> rule : list(map(ingress, "spec"), "rules")) {
                    list(map(rule, "http"), "paths")
                            .forEach(p -> assertThat(services)
                                    .contains((String) map(p, "backend.service").get("name")));
                }
            }
            for (Map<String, Object> route : ofKind(objects, "HTTPRoute")) {
                list(map(route, "spec"), "rules")
                        .forEach(r -> list(r, "backendRefs")
                                .forEach(b -> assertThat(services).contains((String) b.get("name"))));
            }
            for (Map<String, Object> route : ofKind(objects, "GRPCRoute")) {
                list(map(route, "spec"), "rules")
                        .forEach(r -> list(r, "backendRefs")
                                .forEach(b -> assertThat(services).contains((String) b.get("name"))));
            }
            for (Map<String, Object> deployment : ofKind(objects, "Deployment")) {
                Map<String, Object> pod = map(deployment, "spec.template.spec");
                assertThat(accounts).contains((String) pod.get("serviceAccountName"));
                list(pod, "volumes").stream()
                        .filter(v -> v.containsKey("configMap"))
                        .forEach(v -> assertThat(configMaps)
                                .contains((String) map(v, "configMap").get("name")));
                values(list(pod, "containers").getFirst()).forEach((name, value) -> {
                    if (name.startsWith("QUARKUS_REST_CLIENT_")) {
                        String host = value.replaceFirst("^http://", "").replaceFirst(":8080$", "");
                        assertThat(services).as(rendering + " " + name).contains(host);
                    }
                    if (name.contains("PASSWORD") || name.contains("SECRET")) {
                        assertThat(value)
                                .as(rendering + " " + name + " comes from a Secret")
                                .startsWith("secret:");
                    }
                });
            }
        }
    }
}
