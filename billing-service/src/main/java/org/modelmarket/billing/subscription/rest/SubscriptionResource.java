package org.modelmarket.billing.subscription.rest;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.rest.OfferResource;
import org.modelmarket.billing.subscription.SubscriptionStatus;
import org.modelmarket.billing.subscription.service.SubscriptionService;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Subscriptions: buyers subscribe, cancel, resume and change plans; vendors see their listings' subscribers. */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "subscriptions")
public class SubscriptionResource {

    /** Subscribe to {@code listing} on {@code plan}, accepting the listing's terms of {@code termsVersion}. */
    public record SubscribeRequest(
            @NotNull @Pattern(regexp = OfferResource.LISTING, message = "must be namespace/name")
            String listing,

            @NotNull @Pattern(regexp = PricingTerms.NAME, message = "must be a plan code")
            String plan,

            @NotBlank @Size(max = 100) String termsVersion,
            UUID offerId) {}

    public record PlanChange(
            @NotNull @Pattern(regexp = PricingTerms.NAME, message = "must be a plan code")
            String plan) {}

    private final SubscriptionService subscriptions;
    private final CallerContext callers;

    public SubscriptionResource(SubscriptionService subscriptions, CallerContext callers) {
        this.subscriptions = subscriptions;
        this.callers = callers;
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Subscribe (buyers); with offerId, accept a private offer")
    public Uni<SubscriptionView> subscribe(@NotNull @Valid SubscribeRequest request) {
        return callers.caller()
                .chain(caller -> subscriptions.subscribe(
                        caller, request.listing(), request.plan(), request.termsVersion(), request.offerId()))
                .map(SubscriptionView::of);
    }

    @GET
    @Operation(summary = "Subscriptions the caller may see (own; a vendor's subscribers; all for admins)")
    public Uni<List<SubscriptionView>> list(
            @RestQuery @Pattern(regexp = OfferResource.LISTING, message = "must be namespace/name") String listing,
            @RestQuery SubscriptionStatus status,
            @RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("50") @Min(1) @Max(100) int size) {
        return callers.caller()
                .chain(caller -> subscriptions.list(caller, listing, status, page, size))
                .map(list -> list.stream().map(SubscriptionView::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One subscription")
    public Uni<SubscriptionView> get(@RestPath UUID id) {
        return callers.caller().chain(caller -> subscriptions.find(caller, id)).map(SubscriptionView::of);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel at the end of the trial or period (at once when past due)")
    public Uni<SubscriptionView> cancel(@RestPath UUID id) {
        return callers.caller()
                .chain(caller -> subscriptions.cancel(caller, id))
                .map(SubscriptionView::of);
    }

    @POST
    @Path("{id}/resume")
    @Operation(summary = "Take back a pending cancellation")
    public Uni<SubscriptionView> resume(@RestPath UUID id) {
        return callers.caller()
                .chain(caller -> subscriptions.resume(caller, id))
                .map(SubscriptionView::of);
    }

    @POST
    @Path("{id}/plan")
    @Operation(summary = "Change plan, with proration")
    public Uni<SubscriptionView> changePlan(@RestPath UUID id, @NotNull @Valid PlanChange request) {
        return callers.caller()
                .chain(caller -> subscriptions.changePlan(caller, id, request.plan()))
                .map(SubscriptionView::of);
    }
}
