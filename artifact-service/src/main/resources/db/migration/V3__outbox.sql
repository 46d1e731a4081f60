-- Transactional outbox. Debezium's column names (id, aggregatetype, aggregateid, type, payload) so that a CDC relay
-- (Debezium outbox event router) could replace the in-process relay without a migration.
-- payload holds the complete structured-mode CloudEvent that becomes the Kafka record value; aggregateid is its key.
create table outbox (
    id            uuid        not null,
    seq           bigserial   not null,
    aggregatetype text        not null,
    aggregateid   text        not null,
    type          text        not null,
    topic         text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    sent_at       timestamptz,
    constraint outbox_pk primary key (id),
    constraint outbox_seq_uk unique (seq)
);

-- The relay reads unsent rows in seq order; the partial index keeps that scan small however large the table grows.
create index outbox_unsent_ix on outbox (seq) where sent_at is null;
