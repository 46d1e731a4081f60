package org.modelmarket.gateway.listing.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.client.Versioned;
import org.modelmarket.gateway.listing.Listing;
import org.modelmarket.gateway.listing.NewListing;
import org.modelmarket.gateway.problem.DownstreamProblemException;

import io.smallrye.mutiny.Uni;

/**
 * The gateway's access to catalog-service listings, with the timeouts, retries and circuit breaker of that call.
 * Fails with {@link DownstreamProblemException} for the catalog's 4xx answers and with
 * {@link org.modelmarket.gateway.problem.DownstreamUnavailableException} when the catalog cannot answer.
 */
@ApplicationScoped
public class ListingClient {

    private final CatalogApi catalog;

    ListingClient(@RestClient CatalogApi catalog) {
        this.catalog = catalog;
    }

    /** Creates a listing on behalf of the caller; never retried, as a create is not idempotent. */
    public Uni<Versioned<Listing>> create(NewListing listing) {
        return guardedCreate(listing)
                .map(ListingClient::versioned)
                .onFailure()
                .transform(f -> Downstream.translate(CatalogApi.SERVICE, f));
    }

    /** The listing {@code namespace/name}, if the caller may see it. */
    public Uni<Versioned<Listing>> get(String namespace, String name) {
        return guardedGet(namespace, name)
                .map(ListingClient::versioned)
                .onFailure()
                .transform(f -> Downstream.translate(CatalogApi.SERVICE, f));
    }

    // Fault tolerance sits on these package-private methods (ArC intercepts self-invocation), so that the public
    // methods above can translate what the interceptors throw (timeout, open circuit) as well.

    @Timeout
    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<RestResponse<Listing>> guardedCreate(NewListing listing) {
        return catalog.create(listing);
    }

    @Timeout
    @Retry(abortOn = DownstreamProblemException.class)
    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<RestResponse<Listing>> guardedGet(String namespace, String name) {
        return catalog.get(namespace, name);
    }

    private static Versioned<Listing> versioned(RestResponse<Listing> response) {
        return new Versioned<>(response.getEntity(), response.getHeaderString(HttpHeaders.ETAG));
    }
}
