package org.modelmarket.billing.entitlement.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.billing.entitlement.service.EntitlementService;
import org.modelmarket.billing.listing.Coordinates;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.rest.OfferResource;
import org.modelmarket.billing.subscription.service.EntitlementQueries;
import org.modelmarket.billing.subscription.service.SubscriptionEvents;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The caller's own entitlement to a listing. */
@Path("/api/v1/entitlements")
// Errors leave as problem+json: the mappers set that type explicitly.
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "entitlements")
public class EntitlementResource {

    /** A typed value, as GetEntitlements has them: exactly one of the fields is set. */
    public record Value(Boolean booleanValue, Long integerValue) {}

    /** One entitlement of a customer to a listing's dimension ({@code access}: may use the listing at all). */
    public record EntitlementEntry(
            String listing,
            UUID listingId,
            String customerIdentifier,
            String dimension,
            Value value,
            String status,
            String subscriptionStatus,
            String source,
            Instant expirationDate,
            Instant updatedAt) {}

    public record EntitlementPage(List<EntitlementEntry> entitlements, String nextToken) {}

    private final EntitlementService entitlements;
    private final EntitlementQueries queries;
    private final SubscriptionEvents events;
    private final CallerContext callers;

    public EntitlementResource(
            EntitlementService entitlements,
            EntitlementQueries queries,
            SubscriptionEvents events,
            CallerContext callers) {
        this.entitlements = entitlements;
        this.queries = queries;
        this.events = events;
        this.callers = callers;
    }

    @GET
    @Authenticated
    @Operation(summary = "GetEntitlements: entitlements in the caller's scope, filtered, paged")
    public Uni<EntitlementPage> list(
            @RestQuery @Pattern(regexp = OfferResource.LISTING, message = "must be namespace/name") String listing,
            @RestQuery @Size(max = 255) String customer,
            @RestQuery @Pattern(regexp = PricingTerms.NAME, message = "must be a dimension name") String dimension,
            @RestQuery @DefaultValue("25") @Min(1) @Max(100) int maxResults,
            @RestQuery @Size(max = 100) String nextToken) {
        return callers.caller()
                .chain(caller -> queries.list(caller, listing, customer, maxResults, nextToken))
                .map(page -> {
                    List<EntitlementEntry> entries = new ArrayList<>();
                    for (EntitlementQueries.Row row : page.rows()) {
                        var state = row.state();
                        boolean active = "active".equals(state.status);
                        List<EntitlementEntry> rowEntries = new ArrayList<>();
                        rowEntries.add(entry(row, "access", new Value(active, null)));
                        for (var d : events.dimensions(state)) {
                            rowEntries.add(entry(row, d.name(), new Value(null, d.includedQuantity())));
                        }
                        rowEntries.stream()
                                .filter(e -> dimension == null || e.dimension().equals(dimension))
                                .forEach(entries::add);
                    }
                    return new EntitlementPage(entries, page.nextToken());
                });
    }

    private static EntitlementEntry entry(EntitlementQueries.Row row, String dimension, Value value) {
        var state = row.state();
        return new EntitlementEntry(
                row.listing() == null ? null : row.listing().coordinates(),
                state.key.listingId(),
                state.key.subject(),
                dimension,
                value,
                state.status,
                state.subscriptionStatus,
                state.source,
                state.expiresAt,
                state.updatedAt);
    }

    @GET
    @Path("{namespace}/{name}")
    @Authenticated
    @Operation(summary = "Whether the caller may use a listing, and why")
    public Uni<EntitlementView> mine(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name) {
        // @Authenticated has resolved the identity before this runs: no deferred lookup on this hot path
        return entitlements.decide(namespace, name, callers.current()).map(EntitlementView::of);
    }
}
