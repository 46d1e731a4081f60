-- Owners of a listing (subjects from catalog's ListingChanged data.owners): who may price, offer and meter it.
alter table listing add column owners text[] not null default '{}';

-- Pricing versions per listing, effective from a date; never updated (a change is a new version). Private offers are
-- pricing versions with a buyer and an expiry, invisible to anyone else.
create table pricing_version (
    pricing_id     uuid        primary key,
    listing_id     uuid        not null,
    version        int         not null,
    effective_from timestamptz not null,
    currency       char(3)     not null,
    definition     text        not null, -- the terms as JSON (PricingTerms), immutable
    offer_buyer    text,                 -- set for a private offer
    offer_expires_at timestamptz,
    offer_accepted_at timestamptz,
    created_by     text        not null,
    created_at     timestamptz not null,
    constraint pricing_version_uk unique (listing_id, version)
);
create index ix_pricing_offer_buyer on pricing_version (offer_buyer) where offer_buyer is not null;

create table subscription (
    subscription_id      uuid        primary key,
    listing_id           uuid        not null,
    buyer                text        not null,
    pricing_id           uuid        not null references pricing_version (pricing_id),
    plan_code            text        not null,
    status               varchar(16) not null,
    source               varchar(16) not null,
    terms_version        text        not null,
    terms_accepted_at    timestamptz not null,
    created_at           timestamptz not null,
    trial_ends_at        timestamptz,
    period_start         timestamptz not null,
    period_end           timestamptz not null,
    cancel_at_period_end boolean     not null default false,
    ended_at             timestamptz,
    past_due_since       timestamptz,
    next_action_at       timestamptz,
    version              bigint      not null
);
-- At most one live subscription per buyer and listing.
create unique index ux_subscription_live on subscription (listing_id, buyer)
    where status not in ('CANCELLED', 'EXPIRED');
create index ix_subscription_due on subscription (next_action_at) where next_action_at is not null;
create index ix_subscription_buyer on subscription (buyer);

-- Entitlement state per (listing, buyer): what billing.entitlements carries, versioned per key.
create table entitlement (
    listing_id          uuid        not null,
    subject             text        not null,
    version             bigint      not null,
    status              varchar(16) not null,
    subscription_status varchar(16),
    subscription_id     uuid,
    source              varchar(16) not null,
    expires_at          timestamptz,
    dimensions          text        not null, -- JSON array of {name, includedQuantity}
    updated_at          timestamptz not null,
    constraint pk_entitlement primary key (listing_id, subject)
);
create index ix_entitlement_subject on entitlement (subject);

-- Money movements that are not usage: subscription fees (charged at the start of each period), prorations, refunds.
create table charge (
    charge_id       uuid        primary key,
    subscription_id uuid        not null references subscription (subscription_id),
    buyer           text        not null,
    listing_id      uuid        not null,
    currency        char(3)     not null,
    kind            varchar(24) not null,
    description     text        not null,
    amount_minor    bigint      not null,
    charged_at      timestamptz not null,
    invoice_id      uuid
);
create index ix_charge_uninvoiced on charge (buyer, charged_at) where invoice_id is null;

-- Metering records: one per (listing, customer, dimension, idempotency key); the key is the usage hour for API
-- records and the download id for download events.
create table metering_record (
    record_id        uuid        primary key,
    listing_id       uuid        not null,
    customer         text        not null,
    dimension        text        not null,
    idempotency_key  text        not null,
    quantity         bigint      not null,
    usage_at         timestamptz not null,
    allocations      text,
    source           varchar(16) not null,
    subscription_id  uuid        not null,
    recorded_at      timestamptz not null,
    receipt          text        not null, -- base64url of the signed payload
    signature        text        not null, -- base64url Ed25519 signature
    key_id           text        not null,
    invoice_id       uuid,
    constraint metering_record_uk unique (listing_id, customer, dimension, idempotency_key)
);
create index ix_metering_customer on metering_record (customer, usage_at);
create index ix_metering_listing on metering_record (listing_id, usage_at);

-- The marketplace's receipt signing keys (Ed25519). The first replica to start creates one; all share it.
create table receipt_key (
    key_id      text        primary key,
    private_key text        not null, -- PKCS#8, base64
    public_key  text        not null, -- X.509 SubjectPublicKeyInfo, base64
    created_at  timestamptz not null,
    active      boolean     not null
);

create table invoice (
    invoice_id   uuid        primary key,
    buyer        text        not null,
    month        char(7)     not null,
    currency     char(3)     not null,
    total_minor  bigint      not null,
    status       varchar(16) not null,
    issued_at    timestamptz not null,
    due_at       timestamptz not null,
    paid_at      timestamptz,
    payment_reference text    not null,
    constraint invoice_uk unique (buyer, month, currency)
);

create table invoice_line (
    line_id         uuid        primary key,
    invoice_id      uuid        not null references invoice (invoice_id),
    position        int         not null,
    kind            varchar(24) not null,
    listing_id      uuid        not null,
    vendor          text        not null,
    subscription_id uuid,
    dimension       text,
    quantity        bigint,
    billable        bigint,
    unit_price      text,
    amount_minor    bigint      not null,
    description     text        not null,
    sources         text        not null -- JSON array of charge ids or metering record ids
);

create table credit_note (
    credit_note_id uuid        primary key,
    invoice_id     uuid        not null references invoice (invoice_id),
    amount_minor   bigint      not null,
    reason         text        not null,
    created_by     text        not null,
    created_at     timestamptz not null
);

-- Double-entry ledger: every transaction's debits equal its credits, per currency.
create table ledger_entry (
    entry_id     bigserial   primary key,
    transaction_id uuid      not null,
    account      text        not null,
    currency     char(3)     not null,
    debit_minor  bigint      not null default 0,
    credit_minor bigint      not null default 0,
    reference    text        not null,
    month        char(7)     not null,
    created_at   timestamptz not null
);
create index ix_ledger_account on ledger_entry (account, month);

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

create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify(tg_table_name, '');
    return null;
end $$;
create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();

create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    constraint pk_processed_event primary key (consumer, event_id)
);
create index ix_processed_event_processed_at on processed_event (processed_at);
