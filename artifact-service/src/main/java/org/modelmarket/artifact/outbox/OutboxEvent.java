package org.modelmarket.artifact.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of the transactional outbox, inserted in the same transaction as the state change it announces. Written
 * through Hibernate (to join the business transaction); read and marked sent by the relay over the reactive client.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent {

    /** Also the CloudEvent id, so consumers can deduplicate redeliveries. */
    @Id
    public UUID id;

    /** Insertion order, assigned by the database (bigserial); not read back on insert. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "aggregatetype", nullable = false, updatable = false)
    public String aggregateType;

    /** The Kafka record key. */
    @Column(name = "aggregateid", nullable = false, updatable = false)
    public String aggregateId;

    @Column(nullable = false, updatable = false)
    public String type;

    @Column(nullable = false, updatable = false)
    public String topic;

    /** The complete CloudEvent JSON, published as is. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
    public String payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;
}
