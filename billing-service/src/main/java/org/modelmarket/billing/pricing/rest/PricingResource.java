package org.modelmarket.billing.pricing.rest;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.billing.listing.Coordinates;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.service.PricingService;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** A listing's public pricing: anyone reads it, its owning vendor publishes new versions. */
@Path("/api/v1/listings/{namespace}/{name}/pricing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pricing")
public class PricingResource {

    /** A new pricing version: in force from {@code effectiveFrom} (now when absent). */
    public record PublishRequest(
            Instant effectiveFrom, @NotNull @Valid PricingTerms terms) {}

    private final PricingService pricing;
    private final CallerContext callers;

    public PricingResource(PricingService pricing, CallerContext callers) {
        this.pricing = pricing;
        this.callers = callers;
    }

    @GET
    @Operation(summary = "The pricing version in force now")
    public Uni<PricingView> current(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name) {
        return pricing.current(namespace, name).map(PricingView::of);
    }

    @GET
    @Path("versions")
    @Operation(summary = "Every public pricing version, newest first")
    public Uni<List<PricingView>> versions(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name) {
        return pricing.versions(namespace, name)
                .map(list -> list.stream().map(PricingView::of).toList());
    }

    @POST
    @Authenticated
    @ResponseStatus(201)
    @Operation(summary = "Publish a new pricing version (owning vendor or admin)")
    public Uni<PricingView> publish(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @NotNull @Valid PublishRequest request) {
        return callers.caller()
                .chain(caller -> pricing.publish(caller, namespace, name, request.terms(), request.effectiveFrom()))
                .map(PricingView::of);
    }
}
