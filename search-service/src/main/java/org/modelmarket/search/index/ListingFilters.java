package org.modelmarket.search.index;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The active filters of a listing search: values within one facet are alternatives (OR), facets combine (AND).
 *
 * @param terms     selected values per facet; facets without values are absent
 * @param minRating lowest average rating, 0..5
 */
public record ListingFilters(Map<Facet, Set<String>> terms, OptionalDouble minRating) {

    public static final ListingFilters NONE = new ListingFilters(Map.of(), OptionalDouble.empty());

    public ListingFilters {
        EnumMap<Facet, Set<String>> copy = new EnumMap<>(Facet.class);
        terms.forEach((facet, values) -> {
            if (!values.isEmpty()) {
                copy.put(facet, Set.copyOf(new TreeSet<>(values)));
            }
        });
        terms = Map.copyOf(copy);
    }

    public boolean isEmpty() {
        return terms.isEmpty() && minRating.isEmpty();
    }

    /** A stable text form, part of a cursor's fingerprint. */
    public String canonical() {
        StringBuilder text = new StringBuilder();
        for (Facet facet : Facet.values()) {
            Set<String> values = terms.get(facet);
            if (values != null) {
                text.append(facet.param())
                        .append('=')
                        .append(String.join(",", new TreeSet<>(values)))
                        .append(';');
            }
        }
        minRating.ifPresent(r -> text.append("minRating=").append(r));
        return text.toString();
    }
}
