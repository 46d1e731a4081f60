package org.modelmarket.search.problem;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.logging.Logger;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.ProblemTranslator;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.index.InvalidCursorException;

/**
 * Translates the index port's failures into problems: an unavailable Elasticsearch is a 503 the caller may retry, a
 * cursor the index cannot use is the caller's bad {@code cursor} parameter.
 */
@ApplicationScoped
public class SearchProblemTranslator implements ProblemTranslator {

    /** Seconds a client should wait before retrying while the index is unavailable. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = Logger.getLogger(SearchProblemTranslator.class);

    @Override
    public Optional<ProblemException> translate(Throwable failure) {
        if (failure instanceof IndexUnavailableException unavailable) {
            LOG.warnf("Search index unavailable: %s", unavailable.getMessage());
            return Optional.of(new ProblemException(
                    SearchProblem.INDEX_UNAVAILABLE,
                    "The search index is unavailable; retry later.",
                    null,
                    Map.of(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)));
        }
        if (failure instanceof InvalidCursorException cursor) {
            return Optional.of(new ProblemException(
                    StandardProblem.VALIDATION,
                    "The request has invalid parameters.",
                    List.of(new Problem.FieldError("cursor", cursor.getMessage()))));
        }
        return Optional.empty();
    }
}
