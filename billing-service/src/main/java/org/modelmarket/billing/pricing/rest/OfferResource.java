package org.modelmarket.billing.pricing.rest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.service.PricingService;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Private offers: a vendor's custom terms for one buyer, who accepts by subscribing with the offer id. */
@Path("/api/v1/offers")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "offers")
public class OfferResource {

    /** Listing coordinates {@code namespace/name}. */
    public static final String LISTING = "^[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?/[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?$";

    public record OfferRequest(
            @NotNull @Pattern(regexp = LISTING, message = "must be namespace/name")
            String listing,

            @NotBlank @Size(max = 255) String buyer,
            @NotNull Instant expiresAt,
            @NotNull @Valid PricingTerms terms) {}

    private final PricingService pricing;
    private final CallerContext callers;
    private final Clock clock;

    public OfferResource(PricingService pricing, CallerContext callers, Clock clock) {
        this.pricing = pricing;
        this.callers = callers;
        this.clock = clock;
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Offer custom terms to one buyer (owning vendor or admin)")
    public Uni<OfferView> create(@NotNull @Valid OfferRequest request) {
        return callers.caller()
                .chain(caller ->
                        pricing.offer(caller, request.listing(), request.buyer(), request.terms(), request.expiresAt()))
                .map(priced -> OfferView.of(priced, clock.instant()));
    }

    @GET
    @Operation(summary = "Offers made to the caller, or of the caller's listings (all for admins)")
    public Uni<List<OfferView>> list() {
        return callers.caller()
                .chain(pricing::offers)
                .map(list -> list.stream()
                        .map(priced -> OfferView.of(priced, clock.instant()))
                        .toList());
    }

    @GET
    @Path("{offerId}")
    @Operation(summary = "One offer (404 for anyone but its buyer, the owning vendor and admins)")
    public Uni<OfferView> get(@RestPath UUID offerId) {
        return callers.caller()
                .chain(caller -> pricing.findOffer(caller, offerId))
                .map(priced -> OfferView.of(priced, clock.instant()));
    }
}
