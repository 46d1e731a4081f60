package org.modelmarket.billing.subscription.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.subscription.Subscription;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Applies time-driven subscription steps. Safe with several replicas: each transaction claims due rows with
 * {@code FOR UPDATE SKIP LOCKED}, so replicas share the work and never step one subscription twice. Catches up after
 * downtime: a claimed subscription is stepped until its next action is in the future (e.g. three missed renewals,
 * each charged at its own period start), and rounds go on until nothing is due at the clock's now.
 */
@ApplicationScoped
public class SubscriptionScheduler {

    private static final Logger LOG = Logger.getLogger(SubscriptionScheduler.class);
    private static final String DUE = "select * from subscription where next_action_at <= :now"
            + " order by next_action_at limit :limit for update skip locked";

    private final Clock clock;
    private final SubscriptionService subscriptions;
    private final int batchSize;

    public SubscriptionScheduler(Clock clock, SubscriptionService subscriptions, BillingConfig config) {
        this.clock = clock;
        this.subscriptions = subscriptions;
        this.batchSize = config.scheduler().batchSize();
    }

    @Scheduled(
            every = "${modelmarket.billing.scheduler.every}",
            delayed = "5s",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> timer() {
        return tick().invoke(steps -> {
                    if (steps > 0) {
                        LOG.infof("Applied %d subscription steps", steps);
                    }
                })
                .replaceWithVoid();
    }

    /** Applies every step due at the clock's now; returns how many. */
    public Uni<Integer> tick() {
        Instant now = clock.instant();
        return round(now, 0);
    }

    /** Applies the subscription's due steps one after the other until its next action is in the future. */
    private Uni<Void> upToDate(Subscription subscription, Instant now) {
        return subscriptions
                .step(subscription, now)
                .chain(() -> subscription.nextActionAt != null && !subscription.nextActionAt.isAfter(now)
                        ? upToDate(subscription, now)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Integer> round(Instant now, int done) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(DUE, Subscription.class)
                                .setParameter("now", now)
                                .setParameter("limit", batchSize)
                                .getResultList())
                        .chain(due -> Multi.createFrom()
                                .iterable(due)
                                .onItem()
                                .transformToUniAndConcatenate(subscription -> upToDate(subscription, now))
                                .collect()
                                .asList()
                                .map(List::size)))
                .chain(count -> count == 0 ? Uni.createFrom().item(done) : round(now, done + count));
    }
}
