package org.modelmarket.search.query.service;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import org.modelmarket.search.index.ListingIndex;
import org.modelmarket.search.index.ListingPage;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.problem.InvalidRequestException;
import org.modelmarket.search.problem.Problem;

/** Listing search: turns a caller's request into an index query and enforces the rules that span parameters. */
@ApplicationScoped
public class SearchService {

    /** Deepest hit reachable by paging: Elasticsearch's default {@code index.max_result_window}. */
    public static final int MAX_RESULT_WINDOW = 10_000;

    private final ListingIndex index;

    public SearchService(ListingIndex index) {
        this.index = index;
    }

    /**
     * @param text free text, may be null or blank (then: every listing, newest first)
     * @param page zero-based page number, already checked to be {@code >= 0}
     * @param size page size, already checked to be within 1..100
     */
    public Uni<ListingPage> search(String text, int page, int size) {
        // the page must end inside the window: from + size <= max_result_window, else Elasticsearch refuses the query
        if ((long) page * size + size > MAX_RESULT_WINDOW) {
            return Uni.createFrom().failure(new InvalidRequestException(
                    "Paging reaches at most the first " + MAX_RESULT_WINDOW + " hits; refine the query instead.",
                    List.of(new Problem.FieldError("page",
                            "(page + 1) * size must not exceed " + MAX_RESULT_WINDOW))));
        }
        Optional<String> query = Optional.ofNullable(text).map(String::strip).filter(q -> !q.isEmpty());
        return index.search(new ListingQuery(query, page * size, size));
    }
}
