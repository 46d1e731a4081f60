package org.modelmarket.gateway.search.client;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.search.SearchPage;

import io.smallrye.mutiny.Uni;

/** The gateway's access to search-service, with the timeout, retries and circuit breaker of that call. */
@ApplicationScoped
public class SearchClient {

    private final SearchApi search;

    SearchClient(@RestClient SearchApi search) {
        this.search = search;
    }

    /**
     * One page of listings matching {@code query}; {@code null} page or size take search-service's defaults.
     * Fails with a downstream problem (e.g. 400 for a bad size) or an unavailable service.
     */
    public Uni<SearchPage> search(String query, Integer page, Integer size) {
        return guardedSearch(query, page, size).onFailure().transform(f -> Downstream.translate(SearchApi.SERVICE, f));
    }

    // Package-private so the interceptors apply (ArC intercepts self-invocation) and the public method can
    // translate their failures too.
    @Timeout
    @Retry(abortOn = DownstreamProblemException.class)
    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<SearchPage> guardedSearch(String query, Integer page, Integer size) {
        return search.search(query, page, size);
    }
}
