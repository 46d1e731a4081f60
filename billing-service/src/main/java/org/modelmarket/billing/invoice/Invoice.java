package org.modelmarket.billing.invoice;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A buyer's invoice for one month and currency; its lines and total never change once issued (refunds are credit notes). */
@Entity
@Table(name = "invoice")
public class Invoice extends PanacheEntityBase {

    public static final String ISSUED = "issued";
    public static final String PAID = "paid";
    public static final String PAST_DUE = "past_due";

    @Id
    @Column(name = "invoice_id")
    public UUID id;

    public String buyer;

    /** {@code YYYY-MM} (UTC). */
    public String month;

    public String currency;

    @Column(name = "total_minor")
    public long totalMinor;

    public String status;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "paid_at")
    public Instant paidAt;

    /** What the buyer quotes on the bank transfer. */
    @Column(name = "payment_reference")
    public String paymentReference;
}
