-- The test app's schema: the platform's outbox and processed-event tables exactly as a new service creates them
-- (deploy/platform/README.md), plus a small aggregate and a projection for the consumer tests.

-- Transactional outbox (Debezium's column names).
create table outbox (
    id                 uuid        not null,
    seq                bigserial   not null,
    aggregatetype      text        not null,
    aggregateid        text        not null,
    aggregateversion   bigint,
    type               text        not null,
    topic              text        not null,
    payload            jsonb       not null,
    tracingspancontext text,
    created_at         timestamptz not null default now(),
    sent_at            timestamptz,
    constraint pk_outbox primary key (id),
    constraint uq_outbox_seq unique (seq)
);
create index ix_outbox_unsent on outbox (seq) where sent_at is null;

-- Wakes the relay at commit: NOTIFY is delivered only when the inserting transaction commits.
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify(tg_table_name, '');
    return null;
end $$;
create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();

-- Idempotent consumers (Debezium's MessageLog).
create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    constraint pk_processed_event primary key (consumer, event_id)
);
create index ix_processed_event_processed_at on processed_event (processed_at);

-- Test aggregate and projection.
create table widget (
    id       uuid   not null primary key,
    name     text   not null,
    revision bigint not null
);
create table feed_applied (
    event_id     text   not null primary key,
    aggregate_id text   not null,
    version      bigint not null,
    name         text   not null
);
