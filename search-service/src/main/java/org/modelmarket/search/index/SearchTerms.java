package org.modelmarket.search.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The words a listing's modality, task and languages are found by (taxonomy labels and the names people type for
 * them, from {@code taxonomy/search-terms.json}), expanded into the document at index time because our local
 * Elasticsearch node has no synonym filter; so "ASR" or "speech to text" finds automatic-speech-recognition.
 */
public final class SearchTerms {

    static final String RESOURCE = "taxonomy/search-terms.json";

    private record Vocabulary(
            Map<String, List<String>> modalities,
            Map<String, List<String>> tasks,
            Map<String, List<String>> languages) {}

    private static final Vocabulary VOCABULARY = load();

    private SearchTerms() {}

    /** The search terms of a listing: its task's and modality's labels and synonyms, and its languages' names. */
    public static List<String> of(String modality, String task, List<String> languages) {
        Set<String> terms = new LinkedHashSet<>();
        add(terms, VOCABULARY.tasks(), task);
        add(terms, VOCABULARY.modalities(), modality);
        if (languages != null) {
            languages.forEach(language -> add(terms, VOCABULARY.languages(), language));
        }
        return List.copyOf(terms);
    }

    private static void add(Set<String> terms, Map<String, List<String>> vocabulary, String id) {
        if (id == null || id.isBlank()) {
            return;
        }
        List<String> known = vocabulary.get(id);
        // an id outside the vocabulary still counts by its own words (open vocabularies grow faster than this file)
        terms.addAll(known != null ? known : List.of(id.replace('-', ' ')));
    }

    private static Vocabulary load() {
        try (InputStream in = SearchTerms.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + RESOURCE);
            }
            Map<String, Object> raw = new ObjectMapper().readValue(in, new TypeReference<>() {});
            return new Vocabulary(section(raw, "modalities"), section(raw, "tasks"), section(raw, "languages"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    @SuppressWarnings("unchecked") // the resource's sections are objects of string arrays, checked by SearchTermsTest
    private static Map<String, List<String>> section(Map<String, Object> raw, String name) {
        Map<String, List<String>> section = (Map<String, List<String>>) raw.get(name);
        return section == null ? Map.of() : Map.copyOf(section);
    }

    /** Every task id the vocabulary knows (for tests against the catalog's taxonomy). */
    public static Set<String> taskIds() {
        return VOCABULARY.tasks().keySet();
    }
}
