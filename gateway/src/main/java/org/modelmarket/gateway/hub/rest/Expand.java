package org.modelmarket.gateway.hub.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.core.MultivaluedMap;

import org.modelmarket.gateway.hub.HubError;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code expand} of a model listing or model info request (HF-PROTOCOL §1.1, §1.2): when given (repeated
 * {@code expand=a&expand=b}, or {@code expand[]=a} as the JS client's {@code repoExists} sends it), the answer holds
 * only those properties plus {@code _id} and {@code id}, as on the Hub; an unknown property is a 400. Properties
 * ModelMarket has no data for (e.g. {@code safetensors}, {@code config}) are left out, as the Hub leaves out those a
 * repository does not have.
 */
public record Expand(Set<String> keys) {

    /**
     * Every property a Hub client may ask for: the Python client's {@code ExpandModelProperty_T} (huggingface_hub
     * 1.x/2.x) and the JS client's {@code MODEL_EXPANDABLE_KEYS} (2.17.5, which adds {@code gitalyUid}).
     */
    public static final Set<String> PROPERTIES = Set.of(
            "author",
            "baseModels",
            "cardData",
            "childrenModelCount",
            "config",
            "createdAt",
            "disabled",
            "downloads",
            "downloadsAllTime",
            "evalResults",
            "gated",
            "gguf",
            "gitalyUid",
            "inference",
            "inferenceProviderMapping",
            "lastModified",
            "library_name",
            "likes",
            "mask_token",
            "model-index",
            "pipeline_tag",
            "private",
            "resourceGroup",
            "safetensors",
            "sha",
            "siblings",
            "spaces",
            "tags",
            "transformersInfo",
            "trendingScore",
            "usedStorage",
            "widgetData",
            "xetEnabled");

    /** Properties read from a revision's tree (artifact-service). */
    private static final Set<String> FROM_TREE = Set.of("sha", "siblings", "usedStorage");

    /** Properties read from the model card (the catalog listing, which search hits do not carry). */
    private static final Set<String> FROM_CARD = Set.of("cardData", "widgetData", "model-index");

    /** No {@code expand}: every property the endpoint answers by default. */
    public static final Expand NONE = new Expand(Set.of());

    /** The {@code expand} and {@code expand[]} parameters of {@code params}; 400 for a property the Hub does not know. */
    public static Expand of(MultivaluedMap<String, String> params) {
        Set<String> keys = new LinkedHashSet<>();
        for (String name : List.of("expand", "expand[]")) {
            keys.addAll(params.getOrDefault(name, List.of()));
        }
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            if (!PROPERTIES.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new HubError(
                    400,
                    null,
                    "Invalid expand "
                            + String.join(
                                    ", ",
                                    unknown.stream().map(k -> "\"" + k + "\"").toList()) + ": expected any of "
                            + String.join(", ", new TreeSet<>(PROPERTIES)) + ".");
        }
        return new Expand(Set.copyOf(keys));
    }

    public boolean given() {
        return !keys.isEmpty();
    }

    /** Whether {@code property} belongs in the answer: asked for, or no expand at all and a default property. */
    public boolean wants(String property, boolean byDefault) {
        return given() ? keys.contains(property) : byDefault;
    }

    /** Whether the answer needs the revision's tree (its commit and files). */
    public boolean needsTree(boolean byDefault) {
        return given() ? keys.stream().anyMatch(FROM_TREE::contains) : byDefault;
    }

    /** Whether the answer needs the model card. */
    public boolean needsCard(boolean byDefault) {
        return given() ? keys.stream().anyMatch(FROM_CARD::contains) : byDefault;
    }

    /**
     * {@code model} with the properties derived from others when asked for ({@code downloadsAllTime}: ModelMarket
     * counts downloads over all time; {@code xetEnabled}: never; {@code widgetData} and {@code model-index}: from the
     * card), then narrowed to {@code _id}, {@code id} and the asked-for properties when an expand was given.
     */
    public ObjectNode apply(ObjectNode model, Map<String, Object> card) {
        if (!given()) {
            return model;
        }
        if (keys.contains("downloadsAllTime") && model.has("downloads")) {
            model.set("downloadsAllTime", model.get("downloads"));
        }
        if (keys.contains("xetEnabled")) {
            model.put("xetEnabled", false);
        }
        if (keys.contains("spaces") && !model.has("spaces")) {
            model.putArray("spaces");
        }
        if (card != null) {
            if (keys.contains("widgetData") && card.get("widget") != null) {
                model.putPOJO("widgetData", card.get("widget"));
            }
            if (keys.contains("model-index") && card.get("model-index") != null) {
                model.putPOJO("model-index", card.get("model-index"));
            }
        }
        Set<String> kept = new LinkedHashSet<>(keys);
        kept.add("_id");
        kept.add("id");
        model.retain(kept);
        return model;
    }
}
