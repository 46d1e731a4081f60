package org.modelmarket.gateway.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.modelmarket.gateway.hub.client.HubRepos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Writes ModelMarket's listings, commits and trees in the JSON shapes the Hub clients read (HF-PROTOCOL §1):
 * model entries, model info with siblings, tree entries. Every file is described as a Git LFS object whose
 * {@code oid} is its SHA-256, since that is what ModelMarket stores and what the downloads' {@code ETag} carries.
 */
public final class HubJson {

    /** Dates as the Python client parses them: {@code 2026-01-02T03:04:05.000Z}. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Frameworks that are Hub library names (transformers first: the Hub's pipelines need it). */
    private static final List<String> LIBRARIES = List.of(
            "transformers",
            "diffusers",
            "sentence-transformers",
            "timm",
            "peft",
            "keras",
            "gguf",
            "onnx",
            "pytorch",
            "tensorflow",
            "jax",
            "scikit-learn");

    private static final YAMLMapper YAML = new YAMLMapper();

    private HubJson() {}

    public static String date(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        return DATE.format(Instant.parse(iso));
    }

    public static String date(Instant instant) {
        return DATE.format(instant);
    }

    /** {@code false}, or {@code "manual"} when downloads need accepted terms or a subscription. */
    public static Object gated(JsonNode listing) {
        String price = listing.path("priceType").asText("free").toLowerCase();
        boolean paid = !price.isEmpty() && !"free".equals(price);
        return listing.path("gated").asBoolean(false) || paid ? "manual" : Boolean.FALSE;
    }

    /** The fields shared by the listing entries and model info, from a catalog listing or a search hit. */
    public static ObjectNode model(ObjectMapper json, JsonNode listing, Map<String, Object> card) {
        ObjectNode node = json.createObjectNode();
        String id = listing.path("id").asText();
        node.put("_id", listing.path("listingId").asText(id));
        node.put("id", id);
        node.put("modelId", id);
        node.put(
                "author",
                id.contains("/")
                        ? id.substring(0, id.indexOf('/'))
                        : listing.path("namespace").asText());
        node.put(
                "private", "private".equalsIgnoreCase(listing.path("visibility").asText("public")));
        node.putPOJO("gated", gated(listing));
        node.put("disabled", false);
        node.put("downloads", listing.path("stats").path("downloads").asLong(0));
        node.put("likes", listing.path("stats").path("likes").asLong(0));
        String updated = text(listing, "updatedAt", text(listing, "publishedAt", text(listing, "createdAt", null)));
        if (updated != null) {
            node.put("lastModified", date(updated));
        }
        String created = text(listing, "createdAt", text(listing, "publishedAt", null));
        if (created != null) {
            node.put("createdAt", date(created));
        }
        String pipeline = Tasks.pipelineTag(text(listing, "task", null));
        if (pipeline != null) {
            node.put("pipeline_tag", pipeline);
        }
        String library = library(listing, card);
        if (library != null) {
            node.put("library_name", library);
        }
        node.set("tags", tags(json, listing, pipeline, library));
        return node;
    }

    private static String library(JsonNode listing, Map<String, Object> card) {
        if (card != null && card.get("library_name") instanceof String name && !name.isBlank()) {
            return name;
        }
        Set<String> frameworks = new java.util.HashSet<>();
        listing.path("frameworks").forEach(f -> frameworks.add(f.asText().toLowerCase()));
        return LIBRARIES.stream().filter(frameworks::contains).findFirst().orElse(null);
    }

    private static ArrayNode tags(ObjectMapper json, JsonNode listing, String pipeline, String library) {
        java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
        if (library != null) {
            tags.add(library);
        }
        listing.path("frameworks").forEach(f -> tags.add(f.asText()));
        listing.path("formats").forEach(f -> tags.add(f.asText()));
        if (pipeline != null) {
            tags.add(pipeline);
        }
        listing.path("tags").forEach(t -> tags.add(t.asText()));
        listing.path("languages").forEach(l -> tags.add(l.asText()));
        listing.path("datasets").forEach(d -> tags.add("dataset:" + d.asText()));
        String baseModel = text(listing, "baseModel", null);
        if (baseModel != null) {
            tags.add("base_model:" + baseModel);
        }
        String license = text(listing, "license", null);
        if (license != null) {
            tags.add("license:" + license);
        }
        ArrayNode array = json.createArrayNode();
        tags.forEach(array::add);
        return array;
    }

    /**
     * The model card's YAML front matter ({@code ---} ... {@code ---} at its start) as a map, completed with the
     * listing's own metadata where the card says nothing; an unreadable front matter counts as none.
     */
    public static Map<String, Object> cardData(JsonNode listing) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        String card = text(listing, "modelCard", "");
        String normalized = card.replace("\r\n", "\n");
        if (normalized.startsWith("---\n")) {
            int end = normalized.indexOf("\n---", 4);
            if (end > 0) {
                try {
                    Object parsed = YAML.readValue(normalized.substring(4, end), Object.class);
                    if (parsed instanceof Map<?, ?> map) {
                        map.forEach((k, v) -> data.put(String.valueOf(k), v));
                    }
                } catch (java.io.IOException e) {
                    // Not YAML: the card stays readable, only without structured metadata.
                }
            }
        }
        putIfAbsent(data, "license", text(listing, "license", null));
        putIfAbsent(data, "pipeline_tag", Tasks.pipelineTag(text(listing, "task", null)));
        putIfAbsent(data, "base_model", text(listing, "baseModel", null));
        putIfAbsent(data, "language", strings(listing.path("languages")));
        putIfAbsent(data, "datasets", strings(listing.path("datasets")));
        putIfAbsent(data, "tags", strings(listing.path("tags")));
        return data;
    }

    private static void putIfAbsent(Map<String, Object> data, String key, Object value) {
        if (value != null && !(value instanceof List<?> list && list.isEmpty())) {
            data.putIfAbsent(key, value);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** A tree or paths-info entry: {@code type, oid, size, path}, {@code lfs} for files, {@code lastCommit} if asked. */
    public static ObjectNode entry(ObjectMapper json, String commit, HubRepos.Entry entry, boolean expand) {
        ObjectNode node = json.createObjectNode();
        if (entry.file()) {
            String pointer = lfsPointer(entry.sha256(), entry.size());
            node.put("type", "file");
            node.put("oid", gitBlobSha1(pointer));
            node.put("size", entry.size());
            node.put("path", entry.path());
            ObjectNode lfs = node.putObject("lfs");
            lfs.put("oid", entry.sha256());
            lfs.put("size", entry.size());
            lfs.put("pointerSize", pointer.getBytes(StandardCharsets.UTF_8).length);
        } else {
            node.put("type", "directory");
            node.put("oid", sha1("modelmarket-tree " + commit + " " + entry.path()));
            node.put("size", 0);
            node.put("path", entry.path());
        }
        if (expand && entry.lastCommit() != null) {
            ObjectNode last = node.putObject("lastCommit");
            last.put("id", entry.lastCommit().path("id").asText());
            last.put("title", firstLine(entry.lastCommit().path("message").asText("")));
            String date = text(entry.lastCommit(), "date", null);
            if (date != null) {
                last.put("date", date(date));
            }
        }
        return node;
    }

    /** The Git LFS pointer file of a blob: what a Git clone of the repository would hold at the path. */
    public static String lfsPointer(String sha256, long size) {
        return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256 + "\nsize " + size + "\n";
    }

    /** Git's blob id of a text: SHA-1 over {@code blob <length>\0<content>}. */
    public static String gitBlobSha1(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return sha1("blob " + bytes.length + "\0" + content);
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? fallback : value.asText();
    }
}
