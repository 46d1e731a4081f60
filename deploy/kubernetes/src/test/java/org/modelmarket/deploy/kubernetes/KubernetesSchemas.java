package org.modelmarket.deploy.kubernetes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.JsonElement;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict checks of Kubernetes objects against the API models of a current Kubernetes (1.35 models): the official
 * Java client's generated validation (unknown fields, required fields, shapes) and fabric8's models bound without
 * scalar coercion (wrong scalar types, unknown fields at any depth). Between them they catch what kubeconform would.
 */
final class KubernetesSchemas {

    /** A kind both validators know; gatewayApi kinds have no client-java model, so only fabric8 checks them. */
    private record Model(Class<?> clientJava, Class<?> fabric8) {}

    private static final Map<String, Model> MODELS = Map.ofEntries(
            Map.entry("apps/v1/Deployment", new Model(V1Deployment.class, Deployment.class)),
            Map.entry("v1/Service", new Model(V1Service.class, Service.class)),
            Map.entry("v1/ServiceAccount", new Model(V1ServiceAccount.class, ServiceAccount.class)),
            Map.entry("v1/ConfigMap", new Model(V1ConfigMap.class, ConfigMap.class)),
            Map.entry("v1/Secret", new Model(V1Secret.class, Secret.class)),
            Map.entry(
                    "v1/PersistentVolumeClaim", new Model(V1PersistentVolumeClaim.class, PersistentVolumeClaim.class)),
            Map.entry(
                    "autoscaling/v2/HorizontalPodAutoscaler",
                    new Model(V2HorizontalPodAutoscaler.class, HorizontalPodAutoscaler.class)),
            Map.entry(
                    "policy/v1/PodDisruptionBudget", new Model(V1PodDisruptionBudget.class, PodDisruptionBudget.class)),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", new Model(V1NetworkPolicy.class, NetworkPolicy.class)),
            Map.entry("networking.k8s.io/v1/Ingress", new Model(V1Ingress.class, Ingress.class)),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", new Model(null, HTTPRoute.class)),
            Map.entry("gateway.networking.k8s.io/v1/GRPCRoute", new Model(null, GRPCRoute.class)));

    private static final Gson GSON = new Gson();
    private static final JsonMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private KubernetesSchemas() {}

    static boolean knows(Map<String, Object> object) {
        return MODELS.containsKey(key(object));
    }

    private static String key(Map<String, Object> object) {
        return object.get("apiVersion") + "/" + object.get("kind");
    }

    /** Every problem both validators find in the object; empty when it is valid. */
    static List<String> validate(Map<String, Object> object) {
        Model model = MODELS.get(key(object));
        if (model == null) {
            return List.of("no Kubernetes model for " + key(object));
        }
        List<String> problems = new ArrayList<>();
        if (model.clientJava() != null) {
            clientJava(model.clientJava(), object).ifPresent(problems::add);
        }
        problems.addAll(fabric8(model.fabric8(), object));
        return problems;
    }

    /** client-java-api: the generated validateJsonElement (unknown and required fields), then a typed parse. */
    static Optional<String> clientJava(Class<?> type, Map<String, Object> object) {
        JsonElement json = GSON.toJsonTree(object);
        try {
            Method validate = type.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, json);
            Method fromJson = type.getMethod("fromJson", String.class);
            fromJson.invoke(null, json.toString());
            return Optional.empty();
        } catch (InvocationTargetException e) {
            return Optional.of("client-java " + type.getSimpleName() + ": " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** fabric8: bound without scalar coercion; unknown fields land in additionalProperties, so those must be empty. */
    static List<String> fabric8(Class<?> type, Map<String, Object> object) {
        Object bound;
        try {
            bound = STRICT.convertValue(object, type);
        } catch (RuntimeException e) {
            return List.of("fabric8 " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(bound, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return unknown.stream()
                .map(path -> "fabric8 " + type.getSimpleName() + ": unknown field " + path)
                .toList();
    }

    private static void unknownFields(Object node, String path, List<String> unknown, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3))
                    + getter.getName().substring(4);
            // Maps of free-form values (labels, data, annotations) are user data, not schema.
            if (value instanceof Map<?, ?> && !field.equals("spec")) {
                continue;
            }
            unknownFields(value, path + "." + field, unknown, seen);
        }
    }
}
