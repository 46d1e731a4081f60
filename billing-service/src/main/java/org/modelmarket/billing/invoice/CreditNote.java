package org.modelmarket.billing.invoice;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A refund against an issued invoice (the invoice itself never changes). */
@Entity
@Table(name = "credit_note")
public class CreditNote extends PanacheEntityBase {

    @Id
    @Column(name = "credit_note_id")
    public UUID id;

    @Column(name = "invoice_id")
    public UUID invoiceId;

    @Column(name = "amount_minor")
    public long amountMinor;

    public String reason;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;
}
