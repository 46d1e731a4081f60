package org.modelmarket.search.query.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.search.index.Facet;
import org.modelmarket.search.index.ListingDocument;
import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingIndex;
import org.modelmarket.search.index.ListingPage;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;
import org.modelmarket.search.problem.SearchProblem;

import io.smallrye.mutiny.Uni;

/**
 * Listing search: validates a caller's request as a whole (every bad parameter reported at once), turns it into an
 * index query, and owns the cursor rules.
 */
@ApplicationScoped
public class SearchService {

    /** Deepest hit reachable by paging: Elasticsearch's default {@code index.max_result_window}. */
    public static final int MAX_RESULT_WINDOW = 10_000;
    /** Values accepted per filter parameter. */
    public static final int MAX_VALUES = 20;
    /** Filter values of open vocabularies: ids, slugs, SPDX licences, BCP 47 tags. */
    private static final Pattern VALUE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+:/-]{0,99}$");

    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?$");

    private final ListingIndex index;
    private final CursorCodec cursors;

    public SearchService(ListingIndex index, CursorCodec cursors) {
        this.index = index;
        this.cursors = cursors;
    }

    /** A validated search and, for cursor paging, how to encode the next cursor. */
    public record Result(ListingQuery query, ListingPage page, Optional<String> nextCursor) {}

    public Uni<Result> search(SearchParams params) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Optional<String> text =
                Optional.ofNullable(params.q()).map(String::strip).filter(q -> !q.isEmpty());
        ListingSort sort = ListingSort.RELEVANCE;
        if (params.sort() != null && !params.sort().isBlank()) {
            Optional<ListingSort> parsed = ListingSort.fromParam(params.sort());
            if (parsed.isEmpty()) {
                errors.add(new Problem.FieldError(
                        "sort",
                        "must be one of "
                                + Arrays.stream(ListingSort.values())
                                        .map(ListingSort::param)
                                        .collect(Collectors.joining(", "))));
            } else {
                sort = parsed.get();
            }
        }
        ListingFilters filters = filters(params, errors);
        boolean facetsAsked = true;
        if (params.facets() != null && !params.facets().isBlank()) {
            switch (params.facets().strip().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> facetsAsked = true;
                case "false" -> facetsAsked = false;
                default -> errors.add(new Problem.FieldError("facets", "must be true or false"));
            }
        }
        // only a cursor walk carries the query's fingerprint (a SHA-256): a page-paged search does not compute it,
        // and only a cursor walk's page has a next cursor to encode with it (ElasticsearchListingIndex.page)
        String fingerprint = params.cursor() == null
                ? null
                : CursorCodec.fingerprint(text.orElse(""), filters.canonical(), sort.param());
        Optional<ListingQuery.Cursor> cursor = Optional.empty();
        if (params.cursor() != null) {
            if (params.page() != 0) {
                errors.add(new Problem.FieldError("page", "cannot be combined with cursor"));
            }
            if (CursorCodec.START.equals(params.cursor())) {
                cursor = Optional.of(ListingQuery.Cursor.START);
            } else {
                try {
                    cursor = Optional.of(cursors.decode(params.cursor(), fingerprint));
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem.FieldError("cursor", e.getMessage()));
                }
            }
        } else if ((long) params.page() * params.size() + params.size() > MAX_RESULT_WINDOW) {
            // the page must end inside the window: from + size <= max_result_window, else Elasticsearch refuses the
            // query
            errors.add(new Problem.FieldError(
                    "page",
                    "(page + 1) * size must not exceed " + MAX_RESULT_WINDOW + "; use cursor=* for deeper paging"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            StandardProblem.VALIDATION, "The request has invalid parameters.", errors));
        }
        // facets when asked, on the first page of a walk (or any page of page paging): they do not change from page
        // to page
        boolean facets = facetsAsked && (cursor.isEmpty() || cursor.get().isStart());
        ListingQuery query = new ListingQuery(
                text,
                filters,
                sort,
                cursor.isPresent() ? 0 : params.page() * params.size(),
                params.size(),
                cursor,
                facets);
        return index.search(query)
                .map(page -> new Result(query, page, page.next().map(next -> {
                    if (fingerprint == null) {
                        throw new IllegalStateException("the index returned a next cursor for a page-paged search");
                    }
                    return cursors.encode(next, fingerprint);
                })));
    }

    private static ListingFilters filters(SearchParams params, List<Problem.FieldError> errors) {
        Map<Facet, Set<String>> terms = new EnumMap<>(Facet.class);
        for (Facet facet : Facet.values()) {
            List<String> raw = params.filters().getOrDefault(facet, List.of());
            Set<String> values = new LinkedHashSet<>();
            for (String entry : raw) {
                if (entry == null) {
                    continue;
                }
                for (String value : entry.split(",")) {
                    String v = value.strip();
                    if (!v.isEmpty()) {
                        values.add(facet == Facet.GATED ? v.toLowerCase(java.util.Locale.ROOT) : v);
                    }
                }
            }
            if (values.size() > MAX_VALUES) {
                errors.add(new Problem.FieldError(facet.param(), "at most " + MAX_VALUES + " values"));
                continue;
            }
            for (String value : values) {
                Optional<Set<String>> vocabulary = facet.vocabulary();
                if (vocabulary.isPresent() && !vocabulary.get().contains(value)) {
                    errors.add(new Problem.FieldError(
                            facet.param(),
                            "unknown value '" + abbreviate(value) + "'; must be one of "
                                    + String.join(", ", new TreeSet<>(vocabulary.get()))));
                } else if (vocabulary.isEmpty() && !VALUE.matcher(value).matches()) {
                    errors.add(new Problem.FieldError(
                            facet.param(),
                            "'" + abbreviate(value)
                                    + "' is not a valid value (letters, digits and . _ + : / -, at most 100)"));
                }
            }
            if (!values.isEmpty()) {
                terms.put(facet, values);
            }
        }
        OptionalDouble minRating = OptionalDouble.empty();
        if (params.minRating() != null && !params.minRating().isBlank()) {
            try {
                double rating = Double.parseDouble(params.minRating().strip());
                if (!(rating >= 0 && rating <= 5)) {
                    errors.add(new Problem.FieldError("minRating", "must be between 0 and 5"));
                } else {
                    minRating = OptionalDouble.of(rating);
                }
            } catch (NumberFormatException e) {
                errors.add(new Problem.FieldError("minRating", "must be a number between 0 and 5"));
            }
        }
        return new ListingFilters(terms, minRating);
    }

    /** Prefix completions; {@code prefix} already checked for length. */
    public Uni<List<ListingDocument>> suggest(String prefix, int size) {
        String text = prefix == null ? "" : prefix.strip();
        if (text.isEmpty()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            StandardProblem.VALIDATION,
                            "The request has invalid parameters.",
                            List.of(new Problem.FieldError("q", "must not be blank"))));
        }
        return index.suggest(text, size);
    }

    /** The listings most similar to {@code namespace/name}; 404 if it is not a searchable listing. */
    public Uni<List<ListingDocument>> similar(String namespace, String name, int size) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!NAME.matcher(namespace).matches()) {
            errors.add(new Problem.FieldError("namespace", "is not a valid namespace"));
        }
        if (!NAME.matcher(name).matches()) {
            errors.add(new Problem.FieldError("name", "is not a valid name"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            StandardProblem.VALIDATION, "The request has invalid parameters.", errors));
        }
        String id = namespace + "/" + name;
        return index.findById(id)
                .chain(found -> found.map(listing -> index.similar(listing, size))
                        .orElseGet(() -> Uni.createFrom()
                                .failure(new ProblemException(
                                        SearchProblem.LISTING_NOT_FOUND, "No public listing " + id))));
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
