package org.modelmarket.billing.invoice;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One line of an invoice, traceable to the charges or metering records it bills ({@link #sources}, JSON array of ids). */
@Entity
@Table(name = "invoice_line")
public class InvoiceLine extends PanacheEntityBase {

    @Id
    @Column(name = "line_id")
    public UUID id;

    @Column(name = "invoice_id")
    public UUID invoiceId;

    public int position;

    /** {@code subscription_fee}, {@code proration_credit}, {@code usage}. */
    public String kind;

    @Column(name = "listing_id")
    public UUID listingId;

    /** The vendor namespace the line's money goes to. */
    public String vendor;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    public String dimension;

    public Long quantity;

    public Long billable;

    @Column(name = "unit_price")
    public String unitPrice;

    @Column(name = "amount_minor")
    public long amountMinor;

    public String description;

    public String sources;
}
