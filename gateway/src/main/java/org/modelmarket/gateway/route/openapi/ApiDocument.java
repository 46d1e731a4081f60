package org.modelmarket.gateway.route.openapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.route.Route;
import org.modelmarket.gateway.route.RouteTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.mutiny.Uni;
import io.smallrye.openapi.runtime.io.Format;

/**
 * The whole public API in one OpenAPI document: the gateway's own document, with each pass-through route's generic
 * operation replaced by the owning service's own operation (parameters, request and response schemas) and the
 * schemas those reference. Only what the route table lets through is taken from a service's document, so the merged
 * document never shows an endpoint the gateway does not serve. A service that cannot be read keeps its routes'
 * generic operations and is named in {@code x-modelmarket-unavailable}. Built at most once per
 * {@code refresh} interval.
 */
@ApplicationScoped
public class ApiDocument {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head");
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]+}");
    private static final String SCHEMAS = "#/components/schemas/";

    private final HubServices services;
    private final OpenApiDocumentService own;
    private final ObjectMapper json;
    private final Uni<ObjectNode> merged;

    ApiDocument(HubServices services, OpenApiDocumentService own, ObjectMapper json, GatewayConfig config) {
        this.services = services;
        this.own = own;
        this.json = json;
        Duration refresh = config.openapi().refresh();
        Uni<ObjectNode> build = Uni.createFrom().deferred(this::build);
        this.merged = refresh.isZero() ? build : build.memoize().atLeast(refresh);
    }

    /** The merged document (cached for {@code modelmarket.gateway.openapi.refresh}, a minute by default). */
    public Uni<ObjectNode> document() {
        return merged;
    }

    private Uni<ObjectNode> build() {
        List<String> names = List.copyOf(RouteTable.services());
        List<Uni<JsonNode>> fetches = names.stream().map(this::fetch).toList();
        return Uni.combine().all().unis(fetches).with(documents -> {
            ObjectNode root = ownDocument();
            ArrayNode unavailable = json.createArrayNode();
            for (int i = 0; i < names.size(); i++) {
                JsonNode document = (JsonNode) documents.get(i);
                if (document == null) {
                    unavailable.add(names.get(i));
                } else {
                    merge(root, names.get(i), document);
                }
            }
            if (!unavailable.isEmpty()) {
                root.set("x-modelmarket-unavailable", unavailable);
            }
            return root;
        });
    }

    /** A service's own document, or null when it cannot be read now (the merge then keeps the generic routes). */
    private Uni<JsonNode> fetch(String service) {
        return services.get(service, "/q/openapi?format=json", HubCaller.of(null))
                .map(reply -> reply.ok() && reply.body() != null && reply.body().has("paths") ? reply.body() : null)
                .ifNoItem()
                .after(Duration.ofSeconds(5))
                .recoverWithItem((JsonNode) null)
                .onFailure()
                .recoverWithItem((JsonNode) null);
    }

    private ObjectNode ownDocument() {
        try {
            return (ObjectNode) json.readTree(own.getDocument(OpenApiFilter.DEFAULT_DOCUMENT_NAME, Format.JSON));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the gateway's own OpenAPI document cannot be read", e);
        }
    }

    /** Takes over every operation of {@code service} that the route table routes to it, with its schemas. */
    private void merge(ObjectNode root, String service, JsonNode document) {
        ObjectNode paths = root.withObject("/paths");
        ObjectNode schemas = root.withObject("/components").withObject("/schemas");
        Map<String, String> renamed =
                renames(service, schemas, document.path("components").path("schemas"));
        Iterator<Map.Entry<String, JsonNode>> servicePaths =
                document.path("paths").properties().iterator();
        while (servicePaths.hasNext()) {
            Map.Entry<String, JsonNode> entry = servicePaths.next();
            String template = entry.getKey();
            String sample = VARIABLE.matcher(template).replaceAll("x");
            for (Map.Entry<String, JsonNode> operation : entry.getValue().properties()) {
                String method = operation.getKey();
                if (!METHODS.contains(method)
                        || !(RouteTable.lookup(method.toUpperCase(), sample) instanceof RouteTable.Lookup.Found found)
                        || !found.route().service().equals(service)) {
                    continue;
                }
                removeGeneric(paths, found.route(), method);
                ObjectNode copy = operation.getValue().deepCopy();
                rewriteRefs(copy, renamed);
                if (found.route().access() == Route.Access.AUTHENTICATED && !copy.has("security")) {
                    ObjectNode bearer = json.createObjectNode();
                    bearer.set("bearer", json.createArrayNode());
                    copy.set("security", json.createArrayNode().add(bearer));
                }
                // withObject takes a JSON Pointer: "/" and "~" in the path key are escaped.
                ObjectNode item =
                        paths.withObject("/" + template.replace("~", "~0").replace("/", "~1"));
                item.set(method, copy);
                // Parameters declared on the service's path item apply to its operations.
                if (entry.getValue().has("parameters") && !item.has("parameters")) {
                    item.set("parameters", entry.getValue().get("parameters").deepCopy());
                }
                copySchemas(copy, document.path("components").path("schemas"), schemas, renamed);
            }
        }
    }

    /** The gateway's placeholder for a route, once the service's own operation replaces it. */
    private static void removeGeneric(ObjectNode paths, Route route, String method) {
        JsonNode item = paths.get(route.template());
        if (item instanceof ObjectNode object) {
            object.remove(method);
            if (!object.properties().stream().anyMatch(e -> METHODS.contains(e.getKey()))) {
                paths.remove(route.template());
            }
        }
    }

    /**
     * Names under which {@code service}'s schemas join the merged document: their own, unless another service already
     * put a different schema under that name (then {@code <service>.<name>}). Identical schemas (the platform's
     * problem) are shared.
     */
    private static Map<String, String> renames(String service, ObjectNode merged, JsonNode incoming) {
        Map<String, String> names = new HashMap<>();
        for (Map.Entry<String, JsonNode> schema : incoming.properties()) {
            JsonNode existing = merged.get(schema.getKey());
            names.put(
                    schema.getKey(),
                    existing == null || existing.equals(schema.getValue())
                            ? schema.getKey()
                            : service + "." + schema.getKey());
        }
        return names;
    }

    /** Copies the schemas {@code node} references, and the ones they reference, under their merged names. */
    private void copySchemas(JsonNode node, JsonNode incoming, ObjectNode merged, Map<String, String> renamed) {
        Map<String, String> originals = new HashMap<>();
        renamed.forEach((original, target) -> originals.put(target, original));
        List<String> pending = new ArrayList<>();
        collectRefs(node, pending);
        while (!pending.isEmpty()) {
            String target = pending.removeLast();
            // Present already: copied before, or the identical schema another service brought.
            if (merged.has(target)) {
                continue;
            }
            JsonNode schema = incoming.get(originals.getOrDefault(target, target));
            if (schema != null) {
                ObjectNode copy = renamedCopy(schema, renamed);
                merged.set(target, copy);
                collectRefs(copy, pending);
            }
        }
    }

    private ObjectNode renamedCopy(JsonNode schema, Map<String, String> renamed) {
        if (!(schema instanceof ObjectNode object)) {
            return json.createObjectNode();
        }
        ObjectNode copy = object.deepCopy();
        rewriteRefs(copy, renamed);
        return copy;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(SCHEMAS)) {
                refs.add(ref.asText().substring(SCHEMAS.length()));
            }
            node.forEach(child -> collectRefs(child, refs));
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renamed) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(SCHEMAS)) {
                String name = ref.asText().substring(SCHEMAS.length());
                object.set("$ref", TextNode.valueOf(SCHEMAS + renamed.getOrDefault(name, name)));
            }
            object.forEach(child -> rewriteRefs(child, renamed));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> rewriteRefs(child, renamed));
        }
    }
}
