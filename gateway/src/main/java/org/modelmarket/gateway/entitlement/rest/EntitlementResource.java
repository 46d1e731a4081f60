package org.modelmarket.gateway.entitlement.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.gateway.entitlement.Entitlement;
import org.modelmarket.gateway.entitlement.client.EntitlementClient;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The caller's entitlements, forwarded to billing-service with the caller's token. */
@Path("/api/v1/entitlements")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "entitlements", description = "What the caller may use (billing-service)")
public class EntitlementResource {

    private final EntitlementClient entitlements;

    EntitlementResource(EntitlementClient entitlements) {
        this.entitlements = entitlements;
    }

    @GET
    @Path("/{namespace}/{name}")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Whether the caller is entitled to a listing")
    public Uni<Entitlement> get(@RestPath String namespace, @RestPath String name) {
        return entitlements.get(namespace, name);
    }
}
