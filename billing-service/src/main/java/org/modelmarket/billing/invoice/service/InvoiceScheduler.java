package org.modelmarket.billing.invoice.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;

/** Issues due invoices and marks overdue ones on the billing timer (safe with several replicas: see InvoiceService). */
@ApplicationScoped
public class InvoiceScheduler {

    private static final Logger LOG = Logger.getLogger(InvoiceScheduler.class);

    private final InvoiceService invoices;

    public InvoiceScheduler(InvoiceService invoices) {
        this.invoices = invoices;
    }

    @Scheduled(
            every = "${modelmarket.billing.scheduler.every}",
            delayed = "7s",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> timer() {
        return invoices.run()
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("Issued %d invoices", count);
                    }
                })
                .replaceWithVoid();
    }
}
