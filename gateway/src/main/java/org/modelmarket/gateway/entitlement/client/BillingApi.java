package org.modelmarket.gateway.entitlement.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.gateway.client.AccessTokenPropagation;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.entitlement.Entitlement;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/** billing-service's entitlement API, as the gateway calls it. */
@RegisterRestClient(configKey = BillingApi.SERVICE)
@RegisterClientHeaders(AccessTokenPropagation.class)
@Path("/api/v1/entitlements")
interface BillingApi {

    String SERVICE = "billing";

    @GET
    @Path("/{namespace}/{name}")
    Uni<Entitlement> get(@RestPath String namespace, @RestPath String name);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Downstream.fromResponse(SERVICE, response);
    }
}
