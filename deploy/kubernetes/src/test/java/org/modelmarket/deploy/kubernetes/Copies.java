package org.modelmarket.deploy.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep copies of rendered objects, so that a test can break one without touching the shared rendering. */
final class Copies {

    private Copies() {}

    static List<Map<String, Object>> deep(List<Map<String, Object>> objects) {
        return objects.stream().map(Copies::deep).toList();
    }

    @SuppressWarnings("unchecked") // YAML trees: maps, lists and scalars
    static <T> T deep(T node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deep(v)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deep(v)));
            return (T) copy;
        }
        return node;
    }
}
