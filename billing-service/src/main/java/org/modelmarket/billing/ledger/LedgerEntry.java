package org.modelmarket.billing.ledger;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One side of a double-entry ledger transaction, in minor units. */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "entry_id")
    public Long id;

    @Column(name = "transaction_id")
    public UUID transactionId;

    public String account;

    public String currency;

    @Column(name = "debit_minor")
    public long debitMinor;

    @Column(name = "credit_minor")
    public long creditMinor;

    public String reference;

    public String month;

    @Column(name = "created_at")
    public Instant createdAt;
}
