package org.modelmarket.billing.entitlement.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.billing.entitlement.service.EntitlementService;
import org.modelmarket.billing.listing.Coordinates;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The caller's own entitlement to a listing. */
@Path("/api/v1/entitlements")
// Errors leave as problem+json: the mappers set that type explicitly.
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "entitlements")
public class EntitlementResource {

    private final EntitlementService entitlements;
    private final CallerContext callers;

    public EntitlementResource(EntitlementService entitlements, CallerContext callers) {
        this.entitlements = entitlements;
        this.callers = callers;
    }

    @GET
    @Path("{namespace}/{name}")
    @Authenticated
    @Operation(summary = "Whether the caller may use a listing, and why")
    public Uni<EntitlementView> mine(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name) {
        return callers.caller()
                .chain(caller -> entitlements.decide(namespace, name, caller.subject()))
                .map(EntitlementView::of);
    }
}
