package org.modelmarket.billing.support;

import java.util.function.Supplier;

import jakarta.inject.Singleton;

import org.modelmarket.billing.invoice.service.InvoiceService;
import org.modelmarket.billing.subscription.service.SubscriptionScheduler;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The schedulers' work, run on demand and awaited (the test profile switches the schedules off): subscription
 * transitions ({@link #tick}) and invoicing ({@link #invoices}).
 */
@Singleton
public class Runs {

    private final SubscriptionScheduler scheduler;
    private final InvoiceService invoices;

    Runs(SubscriptionScheduler scheduler, InvoiceService invoices) {
        this.scheduler = scheduler;
        this.invoices = invoices;
    }

    /** Renewals, trial ends, due dates and expiries up to the clock's time. */
    public void tick() {
        await(scheduler::tick);
    }

    /** Issues the invoices of every month closed by the clock's time. */
    public void invoices() {
        await(invoices::run);
    }

    /** {@link #tick}, then {@link #invoices}. */
    public void tickAndInvoice() {
        tick();
        invoices();
    }

    private static <T> void await(Supplier<Uni<T>> work) {
        try {
            VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
