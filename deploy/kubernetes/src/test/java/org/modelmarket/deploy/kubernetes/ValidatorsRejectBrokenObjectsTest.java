package org.modelmarket.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.deploy.kubernetes.Chart.list;
import static org.modelmarket.deploy.kubernetes.Chart.map;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The validators are not rubber stamps: each kind of defect in a rendered object is reported. */
class ValidatorsRejectBrokenObjectsTest {

    private static Map<String, Object> rendered(Renderings rendering, String kind, String nameSuffix) {
        return Copies.deep(rendering.objects().stream()
                .filter(o -> kind.equals(Chart.kind(o)) && Chart.name(o).endsWith(nameSuffix))
                .findFirst()
                .orElseThrow());
    }

    private static Map<String, Object> gatewayDeployment() {
        Map<String, Object> deployment = rendered(Renderings.DEFAULTS, "Deployment", "-gateway");
        assertThat(KubernetesSchemas.validate(deployment)).isEmpty();
        return deployment;
    }

    private static Map<String, Object> firstContainer(Map<String, Object> deployment) {
        return list(map(deployment, "spec.template.spec"), "containers").getFirst();
    }

    @Test
    void unknownFieldDeepInsideAPodIsRejectedByBothValidators() {
        Map<String, Object> deployment = gatewayDeployment();
        firstContainer(deployment).put("imagePullPolice", "Always");
        List<String> problems = KubernetesSchemas.validate(deployment);
        assertThat(problems)
                .anyMatch(p -> p.startsWith("client-java") && p.contains("imagePullPolice"))
                .anyMatch(p -> p.startsWith("fabric8") && p.contains("imagePullPolice"));
    }

    @Test
    void misspelledSpecFieldIsRejected() {
        Map<String, Object> deployment = gatewayDeployment();
        map(deployment, "spec").put("selectr", map(deployment, "spec").remove("selector"));
        assertThat(KubernetesSchemas.validate(deployment)).anyMatch(p -> p.contains("selectr"));
    }

    @Test
    void wrongScalarTypesAreRejected() {
        Map<String, Object> deployment = gatewayDeployment();
        map(deployment, "spec").put("replicas", "two");
        assertThat(KubernetesSchemas.validate(deployment)).isNotEmpty();

        Map<String, Object> port = gatewayDeployment();
        list(firstContainer(port), "ports").getFirst().put("containerPort", "8080");
        // Gson coerces "8080" to a number; fabric8 without scalar coercion does not.
        assertThat(KubernetesSchemas.validate(port)).anyMatch(p -> p.startsWith("fabric8"));
    }

    @Test
    void wrongShapeIsRejected() {
        Map<String, Object> deployment = gatewayDeployment();
        map(deployment, "spec.template.spec").put("containers", Map.of("name", "gateway"));
        assertThat(KubernetesSchemas.validate(deployment))
                .anyMatch(p -> p.startsWith("client-java"))
                .anyMatch(p -> p.startsWith("fabric8"));
    }

    @Test
    void missingRequiredFieldIsRejected() {
        Map<String, Object> deployment = gatewayDeployment();
        map(deployment, "spec").remove("selector");
        assertThat(KubernetesSchemas.validate(deployment)).anyMatch(p -> p.contains("selector"));

        Map<String, Object> service = rendered(Renderings.DEFAULTS, "Service", "-gateway");
        list(map(service, "spec"), "ports").getFirst().remove("port");
        assertThat(KubernetesSchemas.validate(service)).anyMatch(p -> p.contains("port"));
    }

    @Test
    void unknownKindIsNotWavedThrough() {
        Map<String, Object> object =
                Map.of("apiVersion", "example.com/v1", "kind", "Widget", "metadata", Map.of("name", "w"));
        assertThat(KubernetesSchemas.knows(object)).isFalse();
        assertThat(CrdSchemas.knows(object)).isFalse();
    }

    @Test
    void strimziCrdsRejectWrongTypesUnknownFieldsBadEnumsAndMissingRequiredFields() {
        Map<String, Object> topic = rendered(Renderings.PRODUCTION, "KafkaTopic", "-catalog-listings");
        assertThat(CrdSchemas.validate(topic)).isEmpty();
        map(topic, "spec").put("partitions", "three");
        map(topic, "spec").put("replicaz", 3);
        assertThat(CrdSchemas.validate(topic))
                .anyMatch(p -> p.contains("/spec/partitions"))
                .anyMatch(p -> p.contains("replicaz"));

        Map<String, Object> user = rendered(Renderings.PRODUCTION, "KafkaUser", "-search-service");
        map(user, "spec.authentication").put("type", "kerberos");
        assertThat(CrdSchemas.validate(user)).anyMatch(p -> p.contains("/spec/authentication/type"));

        Map<String, Object> kafka = rendered(Renderings.PRODUCTION, "Kafka", "-kafka");
        assertThat(CrdSchemas.validate(kafka)).isEmpty();
        map(kafka, "spec.kafka").remove("listeners");
        assertThat(CrdSchemas.validate(kafka)).anyMatch(p -> p.contains("listeners"));
    }

    @Test
    void handWrittenOperatorSchemasRejectTheSameDefects() {
        Map<String, Object> cluster = rendered(Renderings.PRODUCTION, "Cluster", "-pg-billing");
        assertThat(CrdSchemas.validate(cluster)).isEmpty();
        map(cluster, "spec").put("instancez", 3);
        map(cluster, "spec.storage").put("size", List.of("1Ti"));
        map(cluster, "spec").remove("instances");
        assertThat(CrdSchemas.validate(cluster))
                .anyMatch(p -> p.contains("instancez"))
                .anyMatch(p -> p.contains("/spec/storage/size"))
                .anyMatch(p -> p.contains("instances"));

        Map<String, Object> elasticsearch = rendered(Renderings.PRODUCTION, "Elasticsearch", "-search");
        assertThat(CrdSchemas.validate(elasticsearch)).isEmpty();
        list(map(elasticsearch, "spec"), "nodeSets").getFirst().put("count", "3");
        assertThat(CrdSchemas.validate(elasticsearch)).anyMatch(p -> p.contains("/spec/nodeSets/0/count"));

        Map<String, Object> keycloak = rendered(Renderings.PRODUCTION, "Keycloak", "-keycloak");
        map(keycloak, "spec.proxy").put("headers", "x-forwarded");
        assertThat(CrdSchemas.validate(keycloak)).anyMatch(p -> p.contains("/spec/proxy/headers"));
    }
}
