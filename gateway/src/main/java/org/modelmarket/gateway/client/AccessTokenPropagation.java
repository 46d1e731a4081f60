package org.modelmarket.gateway.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import io.quarkus.rest.client.reactive.ReactiveClientHeadersFactory;
import io.smallrye.mutiny.Uni;

/**
 * Forwards the caller's bearer token to the downstream services, so that each service authorizes the caller itself.
 *
 * <p>The token comes from the caller's security identity rather than from the incoming HTTP headers, so the same
 * factory serves REST resources and gRPC methods alike.
 */
@ApplicationScoped
public class AccessTokenPropagation extends ReactiveClientHeadersFactory {

    private final CallerToken callerToken;

    AccessTokenPropagation(CallerToken callerToken) {
        this.callerToken = callerToken;
    }

    @Override
    public Uni<MultivaluedMap<String, String>> getHeaders(
            MultivaluedMap<String, String> incomingHeaders, MultivaluedMap<String, String> clientOutgoingHeaders) {
        return callerToken.authorization().map(authorization -> {
            MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
            authorization.ifPresent(value -> headers.putSingle(HttpHeaders.AUTHORIZATION, value));
            return headers;
        });
    }
}
