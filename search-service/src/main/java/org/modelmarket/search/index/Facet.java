package org.modelmarket.search.index;

import java.util.Optional;
import java.util.Set;

/**
 * The filters of a listing search that also report facet counts: the query parameter, the indexed field, and the
 * controlled vocabulary where one exists (values outside it are refused rather than silently matching nothing).
 */
public enum Facet {
    MODALITY(
            "modality",
            "modality",
            Set.of("image", "text", "video", "audio", "multimodal", "tabular", "reinforcement-learning")),
    TASK("task", "task", null),
    FRAMEWORK("framework", "frameworks", null),
    FORMAT("format", "formats", null),
    LICENSE("license", "license", null),
    LANGUAGE("language", "languages", null),
    VENDOR("vendor", "vendor.namespace", null),
    PRICE_TYPE("priceType", "priceType", Set.of("free", "paid", "trial")),
    GATED("gated", "gated", Set.of("true", "false")),
    TAGS("tags", "tags", null);

    private final String param;
    private final String field;
    private final Set<String> vocabulary;

    Facet(String param, String field, Set<String> vocabulary) {
        this.param = param;
        this.field = field;
        this.vocabulary = vocabulary;
    }

    /** The query parameter (and the key of its facet in responses). */
    public String param() {
        return param;
    }

    /** The indexed field. */
    public String field() {
        return field;
    }

    /** The allowed values, if the vocabulary is controlled. */
    public Optional<Set<String>> vocabulary() {
        return Optional.ofNullable(vocabulary);
    }
}
