package org.modelmarket.deploy.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** The chart deploy/helm/modelmarket rendered by a real Helm (helm-java), split into Kubernetes objects. */
final class Chart {

    static final String RELEASE = "mm";
    static final String NAMESPACE = "modelmarket";
    /** The Kubernetes version the chart is rendered for (helm's Capabilities.KubeVersion). */
    static final String KUBE_VERSION = "v1.34.0";

    static final List<String> SERVICES =
            List.of("gateway", "catalog-service", "search-service", "artifact-service", "billing-service");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    private Chart() {}

    static Path home() {
        return Path.of(System.getProperty("modelmarket.home", "../.."))
                .toAbsolutePath()
                .normalize();
    }

    static Path dir() {
        return home().resolve("deploy/helm/modelmarket");
    }

    static Path productionValues() {
        return dir().resolve("values-production.yaml");
    }

    /** The objects of the chart with its default values. */
    static List<Map<String, Object>> defaults() {
        return RENDERED.computeIfAbsent("defaults", key -> render(List.of(), Map.of()));
    }

    /** The objects of the chart with values-production.yaml (every operator switch on). */
    static List<Map<String, Object>> production() {
        return RENDERED.computeIfAbsent("production", key -> render(List.of(productionValues()), Map.of()));
    }

    /** Renders the chart; Helm's own errors (values schema, template failures) surface as IllegalStateException. */
    static List<Map<String, Object>> render(List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand template = new Helm(dir())
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(template::withValuesFile);
        sets.forEach(template::set);
        return objects(template.call());
    }

    /** Splits a multi-document YAML stream into its non-empty objects. */
    static List<Map<String, Object>> objects(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : yaml().loadAll(yaml)) {
            if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                @SuppressWarnings("unchecked") // YAML mappings with string keys: Kubernetes objects
                Map<String, Object> object = (Map<String, Object>) map;
                objects.add(object);
            }
        }
        return objects;
    }

    static Map<String, Object> loadYaml(Path file) {
        try {
            return yaml().load(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(32 * 1024 * 1024);
        return new Yaml(new SafeConstructor(options));
    }

    static String kind(Map<String, Object> object) {
        return (String) object.get("kind");
    }

    static String name(Map<String, Object> object) {
        return (String) map(object, "metadata").get("name");
    }

    static String id(Map<String, Object> object) {
        return object.get("apiVersion") + " " + kind(object) + " " + name(object);
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o))).toList();
    }

    /** The value at a dotted path of nested maps ("spec.template.spec"), or an empty map. */
    @SuppressWarnings("unchecked") // nested YAML mappings
    static Map<String, Object> map(Map<String, Object> object, String path) {
        Object current = object;
        for (String key : path.split("\\.")) {
            current = current instanceof Map<?, ?> m ? m.get(key) : null;
        }
        return current instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked") // YAML sequences of mappings
    static List<Map<String, Object>> list(Map<String, Object> object, String key) {
        Object value = object.get(key);
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
