package org.modelmarket.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.deploy.kubernetes.Chart.list;
import static org.modelmarket.deploy.kubernetes.Chart.map;
import static org.modelmarket.deploy.kubernetes.Chart.ofKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Non-root, no escalation, read-only root, no capabilities, limits, probes, isolation and matching PDBs. */
class SecurityPostureTest {

    @ParameterizedTest
    @EnumSource(Renderings.class)
    void everyRenderingKeepsThePosture(Renderings rendering) {
        assertThat(Posture.problems(rendering.objects())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Renderings.class)
    void everyServiceHasItsNetworkPolicyDisruptionBudgetAndProbes(Renderings rendering) {
        List<Map<String, Object>> objects = rendering.objects();
        for (String service : Chart.SERVICES) {
            String name = Chart.RELEASE + "-" + service;
            assertThat(ofKind(objects, "NetworkPolicy")).extracting(Chart::name).contains(name);
            assertThat(ofKind(objects, "PodDisruptionBudget"))
                    .extracting(Chart::name)
                    .contains(name);
            assertThat(ofKind(objects, "Deployment")).extracting(Chart::name).contains(name);
        }
    }

    @Test
    void onlyTheGatewayAndSignedDownloadsAreReachableFromOutsideAndBackendsOnlyFromTheirCallers() {
        for (Map<String, Object> np : ofKind(Renderings.PRODUCTION.objects(), "NetworkPolicy")) {
            String service = (String) map(np, "spec.podSelector.matchLabels").get("app.kubernetes.io/name");
            List<Map<String, Object>> rules = list(map(np, "spec"), "ingress");
            String peers = String.valueOf(rules);
            if (service.equals("gateway")) {
                assertThat(peers).contains("gateway-system");
            } else if (service.equals("artifact-service")) {
                // Its signed download URLs come from the public route (directDownloads), everything else from the
                // gateway.
                assertThat(peers).contains("app.kubernetes.io/name=gateway").contains("gateway-system");
            } else {
                assertThat(peers)
                        .as(service)
                        .contains("app.kubernetes.io/name=gateway")
                        .doesNotContain("gateway-system");
            }
        }
    }

    @Test
    void theRulesFireOnABrokenObject() {
        List<Map<String, Object>> objects = Copies.deep(Renderings.DEFAULTS.objects());
        Map<String, Object> gateway = ofKind(objects, "Deployment").stream()
                .filter(d -> Chart.name(d).equals(Chart.RELEASE + "-gateway"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> container =
                list(map(gateway, "spec.template.spec"), "containers").getFirst();
        map(container, "securityContext").put("readOnlyRootFilesystem", false);
        map(container, "securityContext").put("allowPrivilegeEscalation", true);
        map(container, "resources").remove("limits");
        container.remove("readinessProbe");
        map(gateway, "spec.template.spec.securityContext").put("runAsUser", 0);
        List<Map<String, Object>> broken = new ArrayList<>(objects);
        broken.removeIf(
                o -> "NetworkPolicy".equals(Chart.kind(o)) && Chart.name(o).endsWith("-search-service"));
        map(ofKind(broken, "PodDisruptionBudget").getFirst(), "spec.selector.matchLabels")
                .put("app.kubernetes.io/name", "nothing");

        assertThat(Posture.problems(broken))
                .anyMatch(p -> p.contains("root filesystem writable"))
                .anyMatch(p -> p.contains("privilege escalation allowed"))
                .anyMatch(p -> p.contains("requests and limits"))
                .anyMatch(p -> p.contains("readinessProbe"))
                .anyMatch(p -> p.contains("pod may run as root"))
                .anyMatch(p -> p.contains("search-service") && p.contains("no NetworkPolicy"))
                .anyMatch(p -> p.contains("PodDisruptionBudget") && p.contains("0 Deployments"));
    }
}
