package org.modelmarket.artifact.access.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.smallrye.mutiny.Uni;

/** billing-service's entitlement check, called only on a projection miss. */
@RegisterRestClient(configKey = "billing")
@Path("/api/v1/entitlements")
interface BillingEntitlementsApi {

    /** billing's answer about the caller (identified by the token). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Answer(String listing, String subject, boolean granted, String reason) {}

    @GET
    @Path("/{namespace}/{name}")
    Uni<Answer> check(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam("Authorization") String authorization);
}
