package org.modelmarket.billing.subscription.service;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingAccess;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.listing.PriceType;
import org.modelmarket.billing.money.Money;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.PricingVersion;
import org.modelmarket.billing.pricing.service.PricingService;
import org.modelmarket.billing.problem.BillingProblem;
import org.modelmarket.billing.subscription.Charge;
import org.modelmarket.billing.subscription.Subscription;
import org.modelmarket.billing.subscription.SubscriptionStatus;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Subscribing, cancelling, resuming and changing plans, and the time-driven steps (trial conversion, renewal, end of
 * a cancelled period, expiry after past_due) the {@link SubscriptionScheduler} applies. Each change writes the
 * subscription, its charges, its entitlement state and its events in one transaction.
 */
@ApplicationScoped
public class SubscriptionService {

    private final Clock clock;
    private final PricingService pricing;
    private final SubscriptionEvents events;
    private final Duration pastDueGrace;

    public SubscriptionService(Clock clock, PricingService pricing, SubscriptionEvents events, BillingConfig config) {
        this.clock = clock;
        this.pricing = pricing;
        this.events = events;
        this.pastDueGrace = config.invoices().pastDueGrace();
    }

    /** A subscription with what the API shows beside it. */
    public record Subscribed(Subscription subscription, Listing listing, PricingVersion pricing, PricingTerms terms) {}

    /** Subscribes the caller (a buyer) to a listing's current pricing or to a private offer made to them. */
    public Uni<Subscribed> subscribe(
            Caller caller, String listingCoordinates, String planCode, String termsVersion, UUID offerId) {
        ListingAccess.requireBuyer(caller);
        Instant now = clock.instant();
        String[] parts = listingCoordinates.split("/", 2);
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createQuery("from Listing where namespace = ?1 and name = ?2", Listing.class)
                        .setParameter(1, parts[0])
                        .setParameter(2, parts[1])
                        .getSingleResultOrNull())
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(parts[0], parts[1]))
                .chain(listing -> {
                    if (listing.priceType == PriceType.FREE) {
                        throw new ProblemException(
                                BillingProblem.LISTING_IS_FREE,
                                "Listing " + listing.coordinates() + " is free: no subscription is needed.");
                    }
                    return pricingFor(caller, listing, offerId, now).chain(version -> {
                        PricingTerms terms = pricing.terms(version);
                        PricingTerms.Plan plan = terms.plan(planCode)
                                .orElseThrow(() -> ProblemException.invalid(
                                        "plan",
                                        "no plan " + planCode + " in this pricing; choose one of "
                                                + terms.plans().stream()
                                                        .map(PricingTerms.Plan::code)
                                                        .collect(Collectors.joining(", "))));
                        return Subscription.count("listingId = ?1 and buyer = ?2", listing.id, caller.subject())
                                .chain(previous -> Subscription.count(
                                                "listingId = ?1 and buyer = ?2 and status not in ?3",
                                                listing.id,
                                                caller.subject(),
                                                List.of(SubscriptionStatus.CANCELLED, SubscriptionStatus.EXPIRED))
                                        .chain(live -> {
                                            if (live > 0) {
                                                throw alreadySubscribed(listing);
                                            }
                                            return create(
                                                    caller,
                                                    listing,
                                                    version,
                                                    terms,
                                                    plan,
                                                    termsVersion,
                                                    previous == 0,
                                                    now);
                                        }));
                    });
                }));
    }

    private Uni<Subscribed> create(
            Caller caller,
            Listing listing,
            PricingVersion version,
            PricingTerms terms,
            PricingTerms.Plan plan,
            String termsVersion,
            boolean firstTime,
            Instant now) {
        Subscription subscription = new Subscription();
        subscription.id = UUID.randomUUID();
        subscription.listingId = listing.id;
        subscription.buyer = caller.subject();
        subscription.pricingId = version.id;
        subscription.planCode = plan.code();
        subscription.source = version.isOffer() ? "private-offer" : "subscription";
        subscription.termsVersion = termsVersion;
        subscription.termsAcceptedAt = now;
        subscription.createdAt = now;
        subscription.version = 1;
        // A trial is offered once per buyer and listing.
        Charge fee = null;
        if (terms.trialDays() > 0 && firstTime) {
            subscription.status = SubscriptionStatus.TRIAL;
            subscription.trialEndsAt = now.plus(terms.trial());
            subscription.periodStart = now;
            subscription.periodEnd = subscription.trialEndsAt;
        } else {
            subscription.status = SubscriptionStatus.ACTIVE;
            subscription.periodStart = now;
            subscription.periodEnd = plan.period().after(now);
            fee = fee(subscription, terms, plan);
        }
        subscription.schedule(pastDueGrace);
        Charge charge = fee;
        return subscription
                .persistAndFlush()
                .chain(() -> recordPricing(subscription, now))
                .chain(() -> charge == null
                        ? Uni.createFrom().voidItem()
                        : charge.persist().replaceWithVoid())
                .chain(() -> events.changed(subscription, listing, terms, SubscriptionEvents.ACTIVATED, now))
                .replaceWith(new Subscribed(subscription, listing, version, terms));
    }

    /** Cancels at the end of the trial or period (at once when past due). */
    public Uni<Subscribed> cancel(Caller caller, UUID id) {
        Instant now = clock.instant();
        return change(caller, id, (subscribed) -> {
            subscribed.subscription().cancel(now);
            subscribed.subscription().schedule(pastDueGrace);
            String type = subscribed.subscription().status == SubscriptionStatus.CANCELLED
                    ? SubscriptionEvents.CANCELLED
                    : SubscriptionEvents.CANCEL_PENDING;
            return events.changed(subscribed.subscription(), subscribed.listing(), subscribed.terms(), type, now)
                    .replaceWith(subscribed);
        });
    }

    /** Takes back a pending cancellation. */
    public Uni<Subscribed> resume(Caller caller, UUID id) {
        Instant now = clock.instant();
        return change(caller, id, (subscribed) -> {
            subscribed.subscription().resume(now);
            subscribed.subscription().schedule(pastDueGrace);
            return events.changed(
                            subscribed.subscription(),
                            subscribed.listing(),
                            subscribed.terms(),
                            SubscriptionEvents.ENTITLEMENT_UPDATED,
                            now)
                    .replaceWith(subscribed);
        });
    }

    /**
     * Moves to another plan. In a trial only the plan changes. Otherwise the unused part of the current period is
     * credited (old price × remaining / period length, rounded once) and the new plan's full price is charged for a
     * period that starts now.
     */
    public Uni<Subscribed> changePlan(Caller caller, UUID id, String planCode) {
        Instant now = clock.instant();
        return change(caller, id, subscribed -> {
            Subscription subscription = subscribed.subscription();
            subscription.requirePlanChangeAllowed();
            Uni<PricingVersion> target = subscribed.pricing().isOffer()
                    ? Uni.createFrom().item(subscribed.pricing())
                    : PricingVersion.<PricingVersion>find(
                                    "listingId = ?1 and offerBuyer is null and effectiveFrom <= ?2 order by version desc",
                                    subscription.listingId,
                                    now)
                            .firstResult();
            return target.chain(version -> {
                PricingTerms terms = pricing.terms(version);
                PricingTerms.Plan next = terms.plan(planCode)
                        .orElseThrow(() -> ProblemException.invalid("plan", "no plan " + planCode + " in the pricing"));
                if (next.code().equals(subscription.planCode) && version.id.equals(subscription.pricingId)) {
                    throw ProblemException.invalid("plan", "is the current plan");
                }
                PricingTerms.Plan current =
                        subscribed.terms().plan(subscription.planCode).orElseThrow();
                Uni<Void> charges = Uni.createFrom().voidItem();
                if (subscription.status == SubscriptionStatus.ACTIVE) {
                    Charge credit = prorationCredit(subscription, subscribed.terms(), current, now);
                    subscription.periodStart = now;
                    subscription.periodEnd = next.period().after(now);
                    subscription.pricingId = version.id;
                    subscription.planCode = next.code();
                    Charge fee = fee(subscription, terms, next);
                    charges = persist(credit).chain(() -> persist(fee));
                } else {
                    subscription.pricingId = version.id;
                    subscription.planCode = next.code();
                }
                subscription.changed();
                subscription.schedule(pastDueGrace);
                Subscribed after = new Subscribed(subscription, subscribed.listing(), version, terms);
                return charges.chain(() -> recordPricing(subscription, now))
                        .chain(() -> events.changed(
                                subscription, subscribed.listing(), terms, SubscriptionEvents.ENTITLEMENT_UPDATED, now))
                        .replaceWith(after);
            });
        });
    }

    /**
     * One time-driven step of a due subscription (already locked by the caller): trial conversion, renewal, the end of
     * a cancelled period, expiry after the past-due grace. Steps are dated at the instant they were due, not when the
     * scheduler ran, so a catch-up after downtime charges and ends exactly as an on-time run would have.
     */
    public Uni<Void> step(Subscription subscription, Instant now) {
        return load(subscription)
                .chain(current -> newPeriodPricing(current, subscription.nextActionAt)
                        .chain(subscribed -> {
                            PricingTerms terms = subscribed.terms();
                            PricingTerms.Plan plan =
                                    terms.plan(subscription.planCode).orElseThrow();
                            boolean repriced = subscribed.pricing() != current.pricing();
                            Instant due = subscription.nextActionAt;
                            String notification;
                            Charge fee = null;
                            switch (subscription.status) {
                                case TRIAL -> {
                                    subscription.status = SubscriptionStatus.ACTIVE;
                                    subscription.periodStart = due;
                                    subscription.periodEnd = plan.period().after(due);
                                    subscription.changed();
                                    fee = fee(subscription, terms, plan);
                                    notification = SubscriptionEvents.ENTITLEMENT_UPDATED;
                                }
                                case ACTIVE -> {
                                    subscription.periodStart = due;
                                    subscription.periodEnd = plan.period().after(due);
                                    subscription.changed();
                                    fee = fee(subscription, terms, plan);
                                    // A renewal changes no entitlement, unless it moved to a newer pricing version (its
                                    // dimensions may differ).
                                    notification = repriced ? SubscriptionEvents.ENTITLEMENT_UPDATED : null;
                                }
                                case CANCEL_PENDING -> {
                                    subscription.end(SubscriptionStatus.CANCELLED, due);
                                    notification = SubscriptionEvents.CANCELLED;
                                }
                                case PAST_DUE -> {
                                    subscription.end(SubscriptionStatus.EXPIRED, due);
                                    notification = SubscriptionEvents.CANCELLED;
                                }
                                default ->
                                    throw new IllegalStateException(
                                            "Nothing is due for a " + subscription.status + " subscription");
                            }
                            subscription.schedule(pastDueGrace);
                            Charge charge = fee;
                            Uni<Void> charged = (repriced
                                            ? recordPricing(subscription, due)
                                            : Uni.createFrom().voidItem())
                                    .chain(() -> persist(charge));
                            return notification == null
                                    ? charged
                                    : charged.chain(() -> events.changed(
                                            subscription, subscribed.listing(), terms, notification, now));
                        }));
    }

    /**
     * The pricing a new period starts with: a subscription on the listing's public pricing moves to the public version
     * in force at the period's start if that version still has its plan (a vendor's price change applies from the
     * next period on; what was charged before stays as it was); a private offer keeps its terms, and so does a plan
     * the newer version dropped. Only trial conversions and renewals start a period here.
     */
    private Uni<Subscribed> newPeriodPricing(Subscribed subscribed, Instant periodStart) {
        Subscription subscription = subscribed.subscription();
        boolean newPeriod =
                subscription.status == SubscriptionStatus.TRIAL || subscription.status == SubscriptionStatus.ACTIVE;
        if (!newPeriod || subscribed.pricing().isOffer()) {
            return Uni.createFrom().item(subscribed);
        }
        return PricingVersion.<PricingVersion>find(
                        "listingId = ?1 and offerBuyer is null and effectiveFrom <= ?2 order by version desc",
                        subscription.listingId,
                        periodStart)
                .firstResult()
                .map(version -> {
                    if (version == null || version.id.equals(subscribed.pricing().id)) {
                        return subscribed;
                    }
                    PricingTerms terms = pricing.terms(version);
                    if (terms.plan(subscription.planCode).isEmpty()) {
                        return subscribed;
                    }
                    subscription.pricingId = version.id;
                    return new Subscribed(subscription, subscribed.listing(), version, terms);
                });
    }

    /** Records from when the subscription is on its current pricing version (what its usage is priced with). */
    private static Uni<Void> recordPricing(Subscription subscription, Instant from) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into subscription_pricing (subscription_id,"
                                + " effective_from, pricing_id, plan_code) values (:id, :from, :pricing, :plan)"
                                + " on conflict (subscription_id, effective_from) do update"
                                + " set pricing_id = excluded.pricing_id, plan_code = excluded.plan_code")
                        .setParameter("id", subscription.id)
                        .setParameter("from", from)
                        .setParameter("pricing", subscription.pricingId)
                        .setParameter("plan", subscription.planCode)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Marks a subscription past due (its invoice is unpaid at the due date), in the caller's transaction. */
    public Uni<Void> markPastDue(Subscription subscription, Instant now) {
        return load(subscription).chain(subscribed -> {
            subscription.markPastDue(now);
            subscription.schedule(pastDueGrace);
            return events.changed(
                    subscription,
                    subscribed.listing(),
                    subscribed.terms(),
                    SubscriptionEvents.ENTITLEMENT_UPDATED,
                    now);
        });
    }

    /** Reactivates a past-due subscription (its invoice was paid), in the caller's transaction. */
    public Uni<Void> reactivate(Subscription subscription, Instant now) {
        return load(subscription).chain(subscribed -> {
            subscription.paid();
            subscription.schedule(pastDueGrace);
            return events.changed(
                    subscription, subscribed.listing(), subscribed.terms(), SubscriptionEvents.ACTIVATED, now);
        });
    }

    /** One subscription, if the caller may see it (its buyer, the listing's vendor, an admin); otherwise 404. */
    public Uni<Subscribed> find(Caller caller, UUID id) {
        return Panache.withSession(() -> Subscription.<Subscription>findById(id)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(id))
                .chain(this::load)
                .map(subscribed -> {
                    if (!visible(caller, subscribed)) {
                        throw notFound(id);
                    }
                    return subscribed;
                }));
    }

    /**
     * Subscriptions the caller may see, newest first: a buyer's own, the subscribers of a vendor's listings, all for
     * admins; optionally only of one listing and one status.
     */
    public Uni<List<Subscribed>> list(Caller caller, String listing, SubscriptionStatus status, int page, int size) {
        StringBuilder sql = new StringBuilder(
                "select s.* from subscription s join listing l on l.listing_id = s.listing_id where true");
        if (!caller.isAdmin()) {
            sql.append(" and (s.buyer = :me or (:vendor and :me = any(l.owners)))");
        }
        if (listing != null) {
            sql.append(" and l.namespace = :ns and l.name = :name");
        }
        if (status != null) {
            sql.append(" and s.status = :status");
        }
        sql.append(" order by s.created_at desc, s.subscription_id limit :size offset :offset");
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(sql.toString(), Subscription.class);
                    if (!caller.isAdmin()) {
                        query.setParameter("me", caller.subject());
                        query.setParameter("vendor", caller.hasRole(org.modelmarket.platform.security.Roles.VENDOR));
                    }
                    if (listing != null) {
                        String[] parts = listing.split("/", 2);
                        query.setParameter("ns", parts[0]);
                        query.setParameter("name", parts[1]);
                    }
                    if (status != null) {
                        query.setParameter("status", status.name());
                    }
                    query.setParameter("size", size);
                    query.setParameter("offset", page * size);
                    return query.getResultList();
                })
                .chain(list -> io.smallrye.mutiny.Multi.createFrom()
                        .iterable(list)
                        .onItem()
                        .transformToUniAndConcatenate(this::load)
                        .collect()
                        .asList()));
    }

    private interface Change {
        Uni<Subscribed> apply(Subscribed subscribed);
    }

    /** Locks the subscription, checks the caller may change it (its buyer or an admin), applies the change. */
    private Uni<Subscribed> change(Caller caller, UUID id, Change change) {
        return Panache.withTransaction(() -> Subscription.<Subscription>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(id))
                .chain(this::load)
                .chain(subscribed -> {
                    if (!visible(caller, subscribed)) {
                        throw notFound(id);
                    }
                    if (!caller.isAdmin() && !caller.subject().equals(subscribed.subscription().buyer)) {
                        throw new ProblemException(
                                StandardProblem.FORBIDDEN, "Only the subscription's buyer or an admin may change it.");
                    }
                    return change.apply(subscribed);
                }));
    }

    Uni<Subscribed> load(Subscription subscription) {
        return PricingVersion.<PricingVersion>findById(subscription.pricingId)
                .chain(version -> Panache.getSession()
                        .chain(session -> session.find(Listing.class, subscription.listingId))
                        .map(listing -> new Subscribed(subscription, listing, version, pricing.terms(version))));
    }

    private static boolean visible(Caller caller, Subscribed subscribed) {
        return caller.isAdmin()
                || caller.subject().equals(subscribed.subscription().buyer)
                || (subscribed.listing() != null && ListingAccess.manages(caller, subscribed.listing()));
    }

    private Uni<PricingVersion> pricingFor(Caller caller, Listing listing, UUID offerId, Instant now) {
        if (offerId == null) {
            return PricingVersion.<PricingVersion>find(
                            "listingId = ?1 and offerBuyer is null and effectiveFrom <= ?2 order by version desc",
                            listing.id,
                            now)
                    .firstResult()
                    .onItem()
                    .ifNull()
                    .failWith(() -> new ProblemException(
                            BillingProblem.PRICING_NOT_FOUND,
                            "Listing " + listing.coordinates() + " has no pricing in force."));
        }
        return PricingVersion.<PricingVersion>findById(offerId, LockModeType.PESSIMISTIC_WRITE)
                .map(offer -> {
                    if (offer == null
                            || !offer.isOffer()
                            || !offer.listingId.equals(listing.id)
                            || !offer.offerBuyer.equals(caller.subject())) {
                        throw new ProblemException(BillingProblem.OFFER_NOT_FOUND, "No offer " + offerId + ".");
                    }
                    if (offer.offerAcceptedAt != null || !offer.offerExpiresAt.isAfter(now)) {
                        throw new ProblemException(
                                BillingProblem.OFFER_UNAVAILABLE, "Offer " + offerId + " is no longer open.");
                    }
                    offer.offerAcceptedAt = now;
                    return offer;
                });
    }

    /** The plan's fee for the subscription's current period, charged at its start; null for a zero price. */
    static Charge fee(Subscription subscription, PricingTerms terms, PricingTerms.Plan plan) {
        long amount = Money.toMinor(plan.price(), terms.currency());
        if (amount == 0) {
            return null;
        }
        return charge(
                subscription,
                terms.currency(),
                Charge.FEE,
                "Plan " + plan.code() + " from " + subscription.periodStart + " to " + subscription.periodEnd,
                amount,
                subscription.periodStart);
    }

    /** Credit for the unused part of the current period; null when nothing is left to credit. */
    static Charge prorationCredit(Subscription subscription, PricingTerms terms, PricingTerms.Plan plan, Instant now) {
        long total = Duration.between(subscription.periodStart, subscription.periodEnd)
                .toMillis();
        long remaining =
                Math.max(0, Duration.between(now, subscription.periodEnd).toMillis());
        BigDecimal exact = plan.price()
                .multiply(BigDecimal.valueOf(remaining))
                .divide(BigDecimal.valueOf(total), MathContext.DECIMAL128);
        long amount = Money.round(exact, terms.currency());
        if (amount == 0) {
            return null;
        }
        return charge(
                subscription,
                terms.currency(),
                Charge.PRORATION_CREDIT,
                "Unused part of plan " + plan.code() + " from " + now + " to " + subscription.periodEnd,
                -amount,
                now);
    }

    private static Charge charge(
            Subscription subscription, String currency, String kind, String description, long amount, Instant at) {
        Charge charge = new Charge();
        charge.id = UUID.randomUUID();
        charge.subscriptionId = subscription.id;
        charge.buyer = subscription.buyer;
        charge.listingId = subscription.listingId;
        charge.currency = currency;
        charge.kind = kind;
        charge.description = description;
        charge.amountMinor = amount;
        charge.chargedAt = at;
        return charge;
    }

    private static Uni<Void> persist(Charge charge) {
        return charge == null ? Uni.createFrom().voidItem() : charge.persist().replaceWithVoid();
    }

    static ProblemException alreadySubscribed(Listing listing) {
        return new ProblemException(
                BillingProblem.ALREADY_SUBSCRIBED, "You already hold a subscription to " + listing.coordinates() + ".");
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(BillingProblem.SUBSCRIPTION_NOT_FOUND, "No subscription " + id + ".");
    }
}
