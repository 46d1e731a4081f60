-- Catalog schema, version 1: listings, namespace ownership and the transactional outbox.

-- A listing is a model repository "namespace/name" (Hugging Face style id).
create table listing (
    id          uuid        not null,
    namespace   text        not null,
    name        text        not null,
    title       text        not null,
    summary     text,
    modality    text        not null,
    task        text        not null,
    license     text        not null,
    tags        text[]      not null default '{}',
    languages   text[]      not null default '{}',
    frameworks  text[]      not null default '{}',
    price_type  text        not null,
    visibility  text        not null,
    status      text        not null,
    -- Keycloak subjects who may act for the listing (vendor members).
    owners      text[]      not null,
    -- Optimistic lock and aggregate version: 1 on creation, +1 per change; exposed as ETag and in events.
    version     bigint      not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    constraint pk_listing primary key (id),
    constraint uq_listing_namespace_name unique (namespace, name),
    constraint ck_listing_price_type check (price_type in ('FREE', 'PAID', 'TRIAL')),
    constraint ck_listing_visibility check (visibility in ('PUBLIC', 'UNLISTED', 'PRIVATE')),
    constraint ck_listing_status check (status in ('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'DEPRECATED'))
);

-- The first subject to create a listing in a namespace owns it; others are refused.
create table namespace_owner (
    namespace   text        not null,
    owner       text        not null,
    created_at  timestamptz not null,
    constraint pk_namespace_owner primary key (namespace)
);

-- Transactional outbox. Debezium's column names (id, aggregatetype, aggregateid, type, payload) so that a
-- CDC relay (Debezium outbox event router) could replace the in-process relay without a migration.
-- payload holds the complete structured-mode CloudEvent that becomes the Kafka record value.
create table outbox (
    id               uuid        not null,
    seq              bigserial   not null,
    aggregatetype    text        not null,
    aggregateid      text        not null,
    aggregateversion bigint      not null,
    type             text        not null,
    topic            text        not null,
    payload          jsonb       not null,
    created_at       timestamptz not null default now(),
    sent_at          timestamptz,
    constraint pk_outbox primary key (id),
    constraint uq_outbox_seq unique (seq)
);

-- The relay reads unsent rows in seq order (per aggregate that is commit order: writes to one aggregate are
-- serialized by its optimistic lock); the partial index keeps that scan small however large the table grows.
create index ix_outbox_unsent on outbox (seq) where sent_at is null;
