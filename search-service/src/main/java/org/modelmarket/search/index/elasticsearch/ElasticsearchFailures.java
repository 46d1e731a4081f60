package org.modelmarket.search.index.elasticsearch;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.modelmarket.search.index.IndexUnavailableException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;

/** Sorts Elasticsearch client failures into "retry later" ({@link IndexUnavailableException}) and the rest. */
final class ElasticsearchFailures {

    static final String VERSION_CONFLICT = "version_conflict_engine_exception";
    static final String INDEX_NOT_FOUND = "index_not_found_exception";
    static final String ALREADY_EXISTS = "resource_already_exists_exception";

    private ElasticsearchFailures() {}

    /** Unwraps the async client's wrappers and maps transient failures to {@link IndexUnavailableException}. */
    static Throwable translate(Throwable failure, String action) {
        Throwable cause = unwrap(failure);
        if (cause instanceof IndexUnavailableException) {
            return cause;
        }
        if (cause instanceof IOException) {
            // connection refused, timeouts, closed connections, and the client's TransportException
            return new IndexUnavailableException(
                    "Elasticsearch unreachable during " + action + ": " + cause.getMessage(), cause);
        }
        if (cause instanceof ElasticsearchException es
                && (isTransientStatus(es.status()) || isType(es.error(), INDEX_NOT_FOUND))) {
            return new IndexUnavailableException(
                    "Elasticsearch could not serve " + action + ": " + es.getMessage(), es);
        }
        return cause;
    }

    static boolean isTransientStatus(int status) {
        return status == 429 || status >= 500;
    }

    static boolean isType(ErrorCause error, String type) {
        return error != null && type.equals(error.type());
    }

    static boolean isType(Throwable failure, String type) {
        return unwrap(failure) instanceof ElasticsearchException es && isType(es.error(), type);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
