package org.modelmarket.billing.subscription.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.entitlement.service.EntitlementCache;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.subscription.EntitlementState;
import org.modelmarket.billing.subscription.Subscription;
import org.modelmarket.billing.subscription.SubscriptionStatus;
import org.modelmarket.platform.outbox.OutboxWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * After each subscription change, in the same transaction: the entitlement state of (listing, buyer) is updated and
 * its full state is staged for the compacted topic {@value #ENTITLEMENTS} (key {@code <listingId>/<subject>},
 * {@code aggregateversion} increasing per key), and an AWS-style notification for {@value #SUBSCRIPTIONS}.
 */
@ApplicationScoped
public class SubscriptionEvents {

    public static final String ENTITLEMENTS = "billing.entitlements";
    public static final String SUBSCRIPTIONS = "billing.subscriptions";
    public static final String ENTITLEMENT_CHANGED = "org.modelmarket.billing.EntitlementChanged";
    public static final String ACTIVATED = "org.modelmarket.billing.SubscriptionActivated";
    public static final String CANCEL_PENDING = "org.modelmarket.billing.SubscriptionCancelPending";
    public static final String CANCELLED = "org.modelmarket.billing.SubscriptionCancelled";
    public static final String ENTITLEMENT_UPDATED = "org.modelmarket.billing.EntitlementUpdated";

    /** Data of {@code EntitlementChanged} (the contract: catalog and artifact read it). */
    public record EntitlementChanged(
            UUID listingId,
            String listing,
            String subject,
            String status,
            String subscriptionStatus,
            String source,
            Instant expiresAt,
            List<String> dimensions,
            Instant updatedAt) {}

    /** Data of the subscription notifications. */
    public record SubscriptionNotification(
            UUID subscriptionId,
            UUID listingId,
            String listing,
            String customerIdentifier,
            String status,
            String plan,
            String source,
            Instant periodEnd,
            Instant occurredAt) {}

    /** One dimension a buyer is entitled to, with its included quantity per month. */
    public record EntitledDimension(String name, long includedQuantity) {}

    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final EntitlementCache cache;

    public SubscriptionEvents(OutboxWriter outbox, ObjectMapper json, EntitlementCache cache) {
        this.outbox = outbox;
        this.json = json;
        this.cache = cache;
    }

    /**
     * Records the subscription's new state: entitlement row, entitlement state event and (when {@code notification}
     * is not null) the notification of that type. Must run in the transaction that changed the subscription.
     */
    public Uni<Void> changed(
            Subscription subscription, Listing listing, PricingTerms terms, String notification, Instant now) {
        String key = listing.id + "/" + subscription.buyer;
        List<EntitledDimension> dimensions = terms.dimensions().stream()
                .map(d -> new EntitledDimension(d.name(), d.includedQuantity()))
                .toList();
        String source = source(subscription);
        Instant expiresAt = expiresAt(subscription);
        // This replica forgets the pair now; a lookup racing the commit may still keep the old state, until the
        // change's own event (below, after the commit) drops it on every replica, this one included.
        cache.invalidate(listing.namespace, listing.name, subscription.buyer);
        return EntitlementState.<EntitlementState>findById(new EntitlementState.Key(listing.id, subscription.buyer))
                .chain(existing -> {
                    EntitlementState state = existing != null ? existing : new EntitlementState();
                    state.key = new EntitlementState.Key(listing.id, subscription.buyer);
                    state.version = existing == null ? 1 : existing.version + 1;
                    state.status = subscription.status.entitles() ? "active" : "inactive";
                    state.subscriptionStatus = subscription.status.value();
                    state.subscriptionId = subscription.id;
                    state.source = source;
                    state.expiresAt = expiresAt;
                    state.dimensions = write(dimensions);
                    state.updatedAt = now;
                    Uni<?> saved = existing != null ? Uni.createFrom().item(state) : state.persist();
                    return saved.replaceWith(state);
                })
                .call(state -> outbox.append(
                        ENTITLEMENTS,
                        "entitlement",
                        key,
                        state.version,
                        ENTITLEMENT_CHANGED,
                        now,
                        new EntitlementChanged(
                                listing.id,
                                listing.coordinates(),
                                subscription.buyer,
                                state.status,
                                state.subscriptionStatus,
                                source,
                                expiresAt,
                                dimensions.stream().map(EntitledDimension::name).toList(),
                                now)))
                .call(state -> notification == null
                        ? Uni.createFrom().voidItem()
                        : outbox.append(
                                SUBSCRIPTIONS,
                                "subscription",
                                subscription.id.toString(),
                                subscription.version,
                                notification,
                                now,
                                new SubscriptionNotification(
                                        subscription.id,
                                        listing.id,
                                        listing.coordinates(),
                                        subscription.buyer,
                                        subscription.status.value(),
                                        subscription.planCode,
                                        subscription.source,
                                        subscription.periodEnd,
                                        now)))
                .replaceWithVoid();
    }

    /** The dimensions in an entitlement row. */
    public List<EntitledDimension> dimensions(EntitlementState state) {
        try {
            return List.of(json.readValue(state.dimensions, EntitledDimension[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String source(Subscription subscription) {
        if ("private-offer".equals(subscription.source)) {
            return "private-offer";
        }
        return subscription.status == SubscriptionStatus.TRIAL
                        || (subscription.status == SubscriptionStatus.CANCEL_PENDING
                                && subscription.trialEndsAt != null
                                && subscription.periodEnd.equals(subscription.trialEndsAt))
                ? "trial"
                : "subscription";
    }

    /** When access ends if nothing changes: null while the subscription renews or converts by itself. */
    private static Instant expiresAt(Subscription subscription) {
        return switch (subscription.status) {
            case CANCEL_PENDING -> subscription.periodEnd;
            case PAST_DUE, TRIAL, ACTIVE -> null;
            case CANCELLED, EXPIRED -> subscription.endedAt;
        };
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
