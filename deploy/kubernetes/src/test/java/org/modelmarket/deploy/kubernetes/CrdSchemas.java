package org.modelmarket.deploy.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schemas of the operators' custom resources. Strimzi's are its real CRDs (from io.strimzi:api's tests jar),
 * turned into strict JSON Schema the way the API server prunes and validates: no unknown fields where properties
 * are listed (unless x-kubernetes-preserve-unknown-fields), int-or-string, nullable. ECK, CloudNativePG, the
 * Keycloak operator and the Prometheus operator publish no CRDs that the build can reach, so theirs are small
 * hand-written schemas of the fields the chart uses (src/test/resources/schemas): weaker, they only prove the chart
 * stays within the fields and types we checked against those operators' documentation.
 */
final class CrdSchemas {

    private static final List<String> STRIMZI_CRDS =
            List.of("040-Crd-kafka", "043-Crd-kafkatopic", "044-Crd-kafkauser", "045-Crd-kafkanodepool");
    private static final Map<String, String> HAND_WRITTEN = Map.of(
            "elasticsearch.k8s.elastic.co/v1/Elasticsearch", "eck-elasticsearch.json",
            "postgresql.cnpg.io/v1/Cluster", "cnpg-cluster.json",
            "postgresql.cnpg.io/v1/ScheduledBackup", "cnpg-scheduledbackup.json",
            "k8s.keycloak.org/v2alpha1/Keycloak", "keycloak.json",
            "k8s.keycloak.org/v2alpha1/KeycloakRealmImport", "keycloak-realm-import.json",
            "monitoring.coreos.com/v1/ServiceMonitor", "servicemonitor.json");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = load();

    private CrdSchemas() {}

    static boolean knows(Map<String, Object> object) {
        return SCHEMAS.containsKey(key(object));
    }

    static boolean isStrimzi(Map<String, Object> object) {
        return String.valueOf(object.get("apiVersion")).startsWith("kafka.strimzi.io/");
    }

    static int strimziVersions() {
        return (int) SCHEMAS.keySet().stream()
                .filter(k -> k.startsWith("kafka.strimzi.io/"))
                .count();
    }

    private static String key(Map<String, Object> object) {
        return object.get("apiVersion") + "/" + object.get("kind");
    }

    /** Every schema violation of the object; empty when it is valid. */
    static List<String> validate(Map<String, Object> object) {
        Schema schema = SCHEMAS.get(key(object));
        if (schema == null) {
            return List.of("no schema for " + key(object));
        }
        List<Error> errors = schema.validate(JSON.valueToTree(object));
        return errors.stream()
                .map(e -> key(object) + ": " + e.getInstanceLocation() + " " + e.getMessage())
                .toList();
    }

    private static Map<String, Schema> load() {
        Map<String, Schema> schemas = new HashMap<>();
        for (String crd : STRIMZI_CRDS) {
            Map<String, Object> definition = Chart.yaml().load(resource("crds/v1beta2/" + crd + ".yaml"));
            Map<String, Object> spec = Chart.map(definition, "spec");
            String group = (String) spec.get("group");
            String kind = (String) Chart.map(spec, "names").get("kind");
            for (Map<String, Object> version : Chart.list(spec, "versions")) {
                Map<String, Object> openApi = Chart.map(version, "schema.openAPIV3Schema");
                schemas.put(
                        group + "/" + version.get("name") + "/" + kind,
                        REGISTRY.getSchema(JSON.valueToTree(strict(openApi))));
            }
        }
        HAND_WRITTEN.forEach((kind, file) -> {
            JsonNode schema = JSON.readTree(resource("schemas/" + file));
            schemas.put(kind, REGISTRY.getSchema(schema));
        });
        return schemas;
    }

    /** An OpenAPI v3 schema of a CRD as strict JSON Schema (see the class comment). */
    @SuppressWarnings("unchecked") // nested schema mappings
    static Object strict(Object node) {
        if (node instanceof List<?> list) {
            return list.stream().map(CrdSchemas::strict).toList();
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        Map<String, Object> in = (Map<String, Object>) map;
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k.equals("properties") && v instanceof Map<?, ?> props) {
                Map<String, Object> converted = new LinkedHashMap<>();
                ((Map<String, Object>) props).forEach((name, schema) -> converted.put(name, strict(schema)));
                out.put(k, converted);
            } else if (!k.startsWith("x-kubernetes-") && !k.equals("nullable")) {
                out.put(k, strict(v));
            }
        });
        if (Boolean.TRUE.equals(in.get("x-kubernetes-int-or-string"))) {
            out.remove("type");
            out.put("type", List.of("integer", "string"));
        }
        if (in.containsKey("properties")
                && !Boolean.TRUE.equals(in.get("x-kubernetes-preserve-unknown-fields"))
                && !in.containsKey("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        if (Boolean.TRUE.equals(in.get("nullable")) && out.get("type") instanceof String type) {
            out.put("type", List.of(type, "null"));
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing on the test class path: " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> all(List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        objects.stream().filter(CrdSchemas::knows).forEach(o -> problems.addAll(validate(o)));
        return problems;
    }
}
