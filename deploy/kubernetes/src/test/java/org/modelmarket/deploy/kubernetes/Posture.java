package org.modelmarket.deploy.kubernetes;

import static org.modelmarket.deploy.kubernetes.Chart.id;
import static org.modelmarket.deploy.kubernetes.Chart.list;
import static org.modelmarket.deploy.kubernetes.Chart.map;
import static org.modelmarket.deploy.kubernetes.Chart.name;
import static org.modelmarket.deploy.kubernetes.Chart.ofKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The security and availability posture every rendering of the chart must keep, as a list of problems so that
 * the tests can also prove each rule fires on a broken object.
 */
final class Posture {

    private Posture() {}

    static List<String> problems(List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> deployments = ofKind(objects, "Deployment");
        if (deployments.isEmpty()) {
            problems.add("no Deployment rendered");
        }
        for (Map<String, Object> deployment : deployments) {
            pod(deployment, problems);
            Map<String, Object> labels = map(deployment, "spec.template.metadata.labels");
            if (!matches(map(deployment, "spec.selector.matchLabels"), labels)) {
                problems.add(id(deployment) + ": selector does not match its pod labels");
            }
            boolean isolated = ofKind(objects, "NetworkPolicy").stream()
                    .filter(np -> matches(map(np, "spec.podSelector.matchLabels"), labels))
                    .anyMatch(np ->
                            String.valueOf(map(np, "spec").get("policyTypes")).contains("Ingress")
                                    && String.valueOf(map(np, "spec").get("policyTypes"))
                                            .contains("Egress"));
            if (!isolated) {
                problems.add(id(deployment) + ": no NetworkPolicy restricts both ingress and egress of its pods");
            }
        }
        for (Map<String, Object> np : ofKind(objects, "NetworkPolicy")) {
            // The public ones: the gateway, and artifact-service for its self-authorizing signed download URLs.
            boolean exposed = List.of("gateway", "artifact-service")
                    .contains(map(np, "spec.podSelector.matchLabels").get("app.kubernetes.io/name"));
            for (Map<String, Object> rule : list(map(np, "spec"), "ingress")) {
                if (!exposed && list(rule, "from").isEmpty()) {
                    problems.add(id(np) + ": a backend service admits traffic from anywhere");
                }
            }
        }
        for (Map<String, Object> pdb : ofKind(objects, "PodDisruptionBudget")) {
            Map<String, Object> selector = map(pdb, "spec.selector.matchLabels");
            long selected = deployments.stream()
                    .filter(d -> !selector.isEmpty() && matches(selector, map(d, "spec.template.metadata.labels")))
                    .count();
            if (selected != 1) {
                problems.add(id(pdb) + ": selects the pods of " + selected + " Deployments, not exactly one");
            }
        }
        for (Map<String, Object> hpa : ofKind(objects, "HorizontalPodAutoscaler")) {
            String target = (String) map(hpa, "spec.scaleTargetRef").get("name");
            if (deployments.stream().noneMatch(d -> name(d).equals(target))) {
                problems.add(id(hpa) + ": scales a Deployment that is not rendered: " + target);
            }
        }
        for (Map<String, Object> service : ofKind(objects, "Service")) {
            Map<String, Object> selector = map(service, "spec.selector");
            if (deployments.stream().noneMatch(d -> matches(selector, map(d, "spec.template.metadata.labels")))) {
                problems.add(id(service) + ": selects no rendered pods");
            }
        }
        return problems;
    }

    private static void pod(Map<String, Object> deployment, List<String> problems) {
        String id = id(deployment);
        Map<String, Object> pod = map(deployment, "spec.template.spec");
        Map<String, Object> podSecurity = map(pod, "securityContext");
        if (!Boolean.TRUE.equals(podSecurity.get("runAsNonRoot")) || Objects.equals(podSecurity.get("runAsUser"), 0)) {
            problems.add(id + ": pod may run as root");
        }
        if (!"RuntimeDefault".equals(map(podSecurity, "seccompProfile").get("type"))) {
            problems.add(id + ": no RuntimeDefault seccomp profile");
        }
        if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
            problems.add(id + ": mounts a service account token it never uses");
        }
        List<String> writable = list(pod, "volumes").stream()
                .filter(v -> v.containsKey("emptyDir") || v.containsKey("persistentVolumeClaim"))
                .map(v -> (String) v.get("name"))
                .toList();
        for (Map<String, Object> container : list(pod, "containers")) {
            String c = id + " container " + container.get("name");
            Map<String, Object> security = map(container, "securityContext");
            if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
                problems.add(c + ": privilege escalation allowed");
            }
            if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
                problems.add(c + ": root filesystem writable");
            }
            if (Boolean.TRUE.equals(security.get("privileged"))) {
                problems.add(c + ": privileged");
            }
            if (!String.valueOf(map(security, "capabilities").get("drop")).contains("ALL")) {
                problems.add(c + ": capabilities not all dropped");
            }
            if (map(security, "capabilities").get("add") != null) {
                problems.add(c + ": adds capabilities");
            }
            Map<String, Object> limits = map(container, "resources.limits");
            Map<String, Object> requests = map(container, "resources.requests");
            if (limits.get("memory") == null
                    || limits.get("cpu") == null
                    || requests.get("memory") == null
                    || requests.get("cpu") == null) {
                problems.add(c + ": cpu and memory requests and limits are not all set");
            }
            String image = String.valueOf(container.get("image"));
            if (image.endsWith(":latest") || !image.contains(":") && !image.contains("@")) {
                problems.add(c + ": image not pinned to a tag or digest: " + image);
            }
            probe(c, container, "startupProbe", "/q/health/started", problems);
            probe(c, container, "livenessProbe", "/q/health/live", problems);
            probe(c, container, "readinessProbe", "/q/health/ready", problems);
            boolean tmpWritable = list(container, "volumeMounts").stream()
                    .anyMatch(m -> "/tmp".equals(m.get("mountPath"))
                            && writable.contains(m.get("name"))
                            && !Boolean.TRUE.equals(m.get("readOnly")));
            if (!tmpWritable) {
                problems.add(c + ": no writable volume at /tmp under a read-only root filesystem");
            }
        }
    }

    private static void probe(
            String c, Map<String, Object> container, String probe, String path, List<String> problems) {
        Map<String, Object> get = map(container, probe + ".httpGet");
        Object port = get.get("port");
        boolean portExists = list(container, "ports").stream()
                .anyMatch(p -> Objects.equals(p.get("name"), port) || Objects.equals(p.get("containerPort"), port));
        if (!path.equals(get.get("path")) || !portExists) {
            problems.add(c + ": " + probe + " is not an HTTP GET of " + path + " on a container port");
        }
    }

    /** True when every label of the selector is on the object (a selector with no labels matches nothing here). */
    static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }
}
