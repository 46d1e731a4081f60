package org.modelmarket.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every object the chart renders is valid against the Kubernetes API models or its operator's schema. */
class ChartSchemaTest {

    @ParameterizedTest
    @EnumSource(Renderings.class)
    void everyRenderedObjectIsValid(Renderings rendering) {
        List<Map<String, Object>> objects = rendering.objects();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            if (KubernetesSchemas.knows(object)) {
                problems.addAll(KubernetesSchemas.validate(object));
            } else if (CrdSchemas.knows(object)) {
                problems.addAll(CrdSchemas.validate(object));
            } else {
                problems.add("no schema to check " + Chart.id(object) + " against");
            }
        }
        assertThat(objects).hasSizeGreaterThan(30);
        assertThat(problems).isEmpty();
    }

    @Test
    void defaultsRenderTheFiveServicesAndNoOperatorResources() {
        Map<String, Long> kinds = kinds(Renderings.DEFAULTS.objects());
        assertThat(kinds)
                .containsEntry("Deployment", 5L)
                .containsEntry("Service", 5L)
                .containsEntry("NetworkPolicy", 5L)
                .containsEntry("PodDisruptionBudget", 5L)
                .containsEntry("HorizontalPodAutoscaler", 4L)
                .containsEntry("PersistentVolumeClaim", 1L);
        assertThat(kinds)
                .doesNotContainKeys("Kafka", "KafkaTopic", "Elasticsearch", "Cluster", "Keycloak", "ServiceMonitor");
    }

    @Test
    void productionRendersEveryOperatorResource() {
        Map<String, Long> kinds = kinds(Renderings.PRODUCTION.objects());
        int topics = Chart.loadYaml(Chart.productionValues()).get("topics") instanceof Map<?, ?> t ? t.size() : 0;
        assertThat(topics).isEqualTo(7);
        assertThat(kinds)
                .containsEntry("Kafka", 1L)
                .containsEntry("KafkaNodePool", 2L)
                .containsEntry("KafkaTopic", 2L * topics)
                .containsEntry("KafkaUser", 4L)
                .containsEntry("Elasticsearch", 1L)
                .containsEntry("Cluster", 5L)
                .containsEntry("ScheduledBackup", 5L)
                .containsEntry("Keycloak", 1L)
                .containsEntry("KeycloakRealmImport", 1L)
                .containsEntry("HTTPRoute", 1L)
                .containsEntry("GRPCRoute", 1L)
                .containsEntry("ServiceMonitor", 5L)
                .containsEntry("HorizontalPodAutoscaler", 5L);
        assertThat(kinds).doesNotContainKey("PersistentVolumeClaim");
    }

    @Test
    void strimziResourcesAreCheckedAgainstStrimzisOwnCrds() {
        assertThat(CrdSchemas.strimziVersions())
                .as("Strimzi CRD versions loaded")
                .isGreaterThanOrEqualTo(8);
        List<Map<String, Object>> strimzi = Renderings.PRODUCTION.objects().stream()
                .filter(CrdSchemas::isStrimzi)
                .toList();
        assertThat(strimzi).hasSize(1 + 2 + 14 + 4); // Kafka, node pools, topics with their .dlq, users
        assertThat(CrdSchemas.all(strimzi)).isEmpty();
    }

    static Map<String, Long> kinds(List<Map<String, Object>> objects) {
        return objects.stream().collect(Collectors.groupingBy(Chart::kind, TreeMap::new, Collectors.counting()));
    }
}
