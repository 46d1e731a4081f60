package org.modelmarket.billing.metering;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One accepted usage record, unique per (listing, customer, dimension, idempotency key): the usage hour for records
 * reported through BatchMeterUsage, {@code download:<downloadId>} for downloads. Carries its signed receipt.
 */
@Entity
@Table(name = "metering_record")
public class MeteringRecord extends PanacheEntityBase {

    @Id
    @Column(name = "record_id")
    public UUID id;

    @Column(name = "listing_id")
    public UUID listingId;

    public String customer;

    public String dimension;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    public long quantity;

    @Column(name = "usage_at")
    public Instant usageAt;

    /** JSON of the usage allocations, or null. */
    public String allocations;

    /** {@code api} or {@code download}. */
    public String source;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** base64url of the signed receipt payload (JSON). */
    public String receipt;

    /** base64url Ed25519 signature of the signed statement's bytes (of the payload's on receipts signed singly). */
    public String signature;

    @Column(name = "key_id")
    public String keyId;

    /** base64url of the signed statement (JSON, naming the batch's Merkle root); null on receipts signed singly. */
    @Column(name = "receipt_signed")
    public String receiptSigned;

    /** JSON inclusion proof of the payload in the batch's Merkle tree ({side, hash} from the leaf up), or null. */
    @Column(name = "receipt_proof")
    public String receiptProof;

    /** The pricing version in force for the subscription when the usage happened (what it is invoiced at). */
    @Column(name = "pricing_id")
    public UUID pricingId;

    @Column(name = "invoice_id")
    public UUID invoiceId;
}
