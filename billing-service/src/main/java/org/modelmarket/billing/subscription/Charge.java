package org.modelmarket.billing.subscription;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A money movement that is not usage, in minor units (negative for credits): a period's subscription fee, a
 * proration credit or charge on a plan change. Invoices pick them up by month; an invoiced charge is never changed.
 */
@Entity
@Table(name = "charge")
public class Charge extends PanacheEntityBase {

    /** Kinds of charge. */
    public static final String FEE = "subscription_fee";

    public static final String PRORATION_CREDIT = "proration_credit";

    @Id
    @Column(name = "charge_id")
    public UUID id;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    public String buyer;

    @Column(name = "listing_id")
    public UUID listingId;

    public String currency;

    public String kind;

    public String description;

    @Column(name = "amount_minor")
    public long amountMinor;

    @Column(name = "charged_at")
    public Instant chargedAt;

    @Column(name = "invoice_id")
    public UUID invoiceId;
}
