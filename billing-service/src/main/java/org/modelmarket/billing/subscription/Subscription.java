package org.modelmarket.billing.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.modelmarket.billing.problem.BillingProblem;
import org.modelmarket.platform.problem.ProblemException;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A buyer's subscription to a listing, with the state machine of its statuses. Every allowed transition is a method
 * here; anything else is refused with 409 {@code transition-not-allowed}. Each change increments {@link #version}.
 *
 * <pre>
 * subscribe ─► trial ──(trial end)──► active ──(period end: renew)──► active
 *                │  ▲                  │  ▲  ──(invoice unpaid at due date)──► past_due ──(paid)──► active
 *           cancel│  │resume     cancel│  │resume                              │ └─(grace over)──► expired
 *                ▼  │                  ▼  │                                   └─(cancel)──► cancelled
 *            cancel_pending ──(trial or period end)──► cancelled
 * </pre>
 */
@Entity
@Table(name = "subscription")
public class Subscription extends PanacheEntityBase {

    @Id
    @Column(name = "subscription_id")
    public UUID id;

    @Column(name = "listing_id")
    public UUID listingId;

    public String buyer;

    @Column(name = "pricing_id")
    public UUID pricingId;

    @Column(name = "plan_code")
    public String planCode;

    @Enumerated(EnumType.STRING)
    public SubscriptionStatus status;

    /** {@code subscription} or {@code private-offer}. */
    public String source;

    @Column(name = "terms_version")
    public String termsVersion;

    @Column(name = "terms_accepted_at")
    public Instant termsAcceptedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "trial_ends_at")
    public Instant trialEndsAt;

    @Column(name = "period_start")
    public Instant periodStart;

    @Column(name = "period_end")
    public Instant periodEnd;

    @Column(name = "cancel_at_period_end")
    public boolean cancelAtPeriodEnd;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "past_due_since")
    public Instant pastDueSince;

    @Column(name = "next_action_at")
    public Instant nextActionAt;

    public long version;

    /** Whether the subscription is still in its free trial at {@code now}. */
    public boolean inTrial(Instant now) {
        return trialEndsAt != null && now.isBefore(trialEndsAt);
    }

    /** trial or active → cancel_pending (ends at the trial's or period's end); past_due → cancelled at once. */
    public void cancel(Instant now) {
        require("cancel", SubscriptionStatus.TRIAL, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE);
        if (status == SubscriptionStatus.PAST_DUE) {
            end(SubscriptionStatus.CANCELLED, now);
            return;
        }
        status = SubscriptionStatus.CANCEL_PENDING;
        cancelAtPeriodEnd = true;
        changed();
    }

    /** cancel_pending → trial (while the trial lasts) or active. */
    public void resume(Instant now) {
        require("resume", SubscriptionStatus.CANCEL_PENDING);
        status = inTrial(now) ? SubscriptionStatus.TRIAL : SubscriptionStatus.ACTIVE;
        cancelAtPeriodEnd = false;
        changed();
    }

    /** Plan changes are allowed in trial and active. */
    public void requirePlanChangeAllowed() {
        require("change the plan of", SubscriptionStatus.TRIAL, SubscriptionStatus.ACTIVE);
    }

    /** active or cancel_pending → past_due (an invoice is unpaid at its due date). */
    public void markPastDue(Instant now) {
        require("mark past due", SubscriptionStatus.ACTIVE, SubscriptionStatus.CANCEL_PENDING);
        status = SubscriptionStatus.PAST_DUE;
        pastDueSince = now;
        changed();
    }

    /** past_due → active (the overdue invoice was paid). */
    public void paid() {
        require("reactivate", SubscriptionStatus.PAST_DUE);
        status = SubscriptionStatus.ACTIVE;
        pastDueSince = null;
        changed();
    }

    /** Terminal states: cancelled or expired at {@code at}. */
    public void end(SubscriptionStatus terminal, Instant at) {
        status = terminal;
        endedAt = at;
        cancelAtPeriodEnd = false;
        changed();
    }

    /** When the scheduler must next look at this subscription. */
    public void schedule(Duration pastDueGrace) {
        nextActionAt = switch (status) {
            case TRIAL -> trialEndsAt;
            case ACTIVE, CANCEL_PENDING -> periodEnd;
            case PAST_DUE -> pastDueSince.plus(pastDueGrace);
            case CANCELLED, EXPIRED -> null;
        };
    }

    public void changed() {
        version++;
    }

    private void require(String action, SubscriptionStatus... allowed) {
        if (!EnumSet.of(allowed[0], allowed).contains(status)) {
            throw new ProblemException(
                    BillingProblem.TRANSITION_NOT_ALLOWED,
                    "Cannot " + action + " a subscription that is " + status.value() + ".");
        }
    }
}
