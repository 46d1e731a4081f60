package org.modelmarket.deploy.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helm's coalescing of values files: maps merge key by key, anything else is replaced. */
final class Values {

    private Values() {}

    @SuppressWarnings("unchecked") // YAML mappings
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            if (value instanceof Map<?, ?> m && merged.get(key) instanceof Map<?, ?> b) {
                merged.put(key, merge((Map<String, Object>) b, (Map<String, Object>) m));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
