-- Catalog schema, version 2 (issue 3): vendors and their members replace namespace_owner; the full listing
-- information model; lifecycle history; versions; gated-access acceptances; likes and reviews; the stats
-- projection fed by artifact.downloads and billing.entitlements, with its processed-event log.

-- A vendor is a namespace with a profile and the Keycloak subjects (members) who may act for it.
create table vendor (
    namespace    text        not null,
    display_name text        not null,
    description  text,
    website      text,
    -- Set by admins only; listings of verified vendors skip review.
    verified     boolean     not null default false,
    verified_by  text,
    verified_at  timestamptz,
    members      text[]      not null,
    version      bigint      not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    constraint pk_vendor primary key (namespace),
    constraint ck_vendor_members check (cardinality(members) > 0)
);

-- Every skeleton namespace claim becomes an (unverified) vendor whose only member is the claimer.
insert into vendor (namespace, display_name, members, version, created_at, updated_at)
select namespace, namespace, array[owner], 1, created_at, created_at from namespace_owner;
-- Defensive: a listing whose namespace was never claimed gets a vendor made of its owners.
insert into vendor (namespace, display_name, members, version, created_at, updated_at)
select distinct on (l.namespace) l.namespace, l.namespace, l.owners, 1, l.created_at, l.created_at
from listing l where not exists (select 1 from vendor v where v.namespace = l.namespace)
order by l.namespace, l.created_at;
drop table namespace_owner;

-- Lifecycle: draft -> submitted -> published | rejected -> deprecated -> archived (IN_REVIEW was never written).
alter table listing drop constraint ck_listing_status;
update listing set status = 'SUBMITTED' where status = 'IN_REVIEW';
alter table listing add constraint ck_listing_status
    check (status in ('DRAFT', 'SUBMITTED', 'PUBLISHED', 'REJECTED', 'DEPRECATED', 'ARCHIVED'));

alter table listing
    add column model_card    text,
    add column formats       text[]      not null default '{}',
    add column datasets      text[]      not null default '{}',
    add column base_model    text,
    add column eula          text,
    add column example_usage text,
    -- Structured model-card parts (evaluation results, input/output signature, hardware) as one JSON document.
    add column spec          jsonb       not null default '{}',
    add column gated         boolean     not null default false,
    add column gate_terms    text,
    add column successor     text,
    add column rejection_reason text,
    add column published_at  timestamptz;
update listing set published_at = created_at where status = 'PUBLISHED';
alter table listing add constraint fk_listing_vendor foreign key (namespace) references vendor (namespace);

-- Every transition, with who, when and why; the skeleton's listings get their creation entry.
create table listing_transition (
    id          uuid        not null,
    -- Insertion order: transitions of one transaction share a timestamp.
    seq         bigserial   not null,
    listing_id  uuid        not null,
    action      text        not null,
    from_status text,
    to_status   text        not null,
    actor       text        not null,
    reason      text,
    at          timestamptz not null,
    constraint pk_listing_transition primary key (id),
    constraint fk_listing_transition_listing foreign key (listing_id) references listing (id) on delete cascade
);
create index ix_listing_transition_listing on listing_transition (listing_id, seq);
insert into listing_transition (id, listing_id, action, from_status, to_status, actor, reason, at)
select gen_random_uuid(), id, 'create', null, status, owners[1], 'created by the walking skeleton', created_at from listing;

-- Owners now come from the vendor's members.
alter table listing drop column owners;

-- Counters of the stats projection and the listing's state revision (the events' aggregateversion), kept apart from
-- the listing row so that stats never bump the edit version (ETag). dirty = stats changed, state event pending.
create table listing_stats (
    listing_id    uuid        not null,
    revision      bigint      not null,
    downloads     bigint      not null default 0,
    downloads_30d bigint      not null default 0,
    downloads_7d  bigint      not null default 0,
    likes         bigint      not null default 0,
    rating_sum    bigint      not null default 0,
    rating_count  bigint      not null default 0,
    subscribers   bigint      not null default 0,
    dirty         boolean     not null default false,
    constraint pk_listing_stats primary key (listing_id),
    constraint fk_listing_stats_listing foreign key (listing_id) references listing (id) on delete cascade
);
-- The skeleton published aggregateversion = version; continue strictly above it.
insert into listing_stats (listing_id, revision) select id, version from listing;
create index ix_listing_stats_dirty on listing_stats (listing_id) where dirty;

create table listing_version (
    id            uuid        not null,
    listing_id    uuid        not null,
    version       text        not null,
    release_notes text,
    status        text        not null,
    created_by    text        not null,
    created_at    timestamptz not null,
    published_at  timestamptz,
    constraint pk_listing_version primary key (id),
    constraint uq_listing_version unique (listing_id, version),
    constraint ck_listing_version_status check (status in ('DRAFT', 'PUBLISHED')),
    constraint fk_listing_version_listing foreign key (listing_id) references listing (id) on delete cascade
);
create index ix_listing_version_published on listing_version (listing_id, published_at desc) where status = 'PUBLISHED';

-- Gated access: who accepted which terms (by hash), when.
create table gate_acceptance (
    listing_id   uuid        not null,
    subject      text        not null,
    terms_sha256 text        not null,
    accepted_at  timestamptz not null,
    constraint pk_gate_acceptance primary key (listing_id, subject),
    constraint fk_gate_acceptance_listing foreign key (listing_id) references listing (id) on delete cascade
);

create table listing_like (
    listing_id uuid        not null,
    subject    text        not null,
    created_at timestamptz not null,
    constraint pk_listing_like primary key (listing_id, subject),
    constraint fk_listing_like_listing foreign key (listing_id) references listing (id) on delete cascade
);

create table review (
    id         uuid        not null,
    listing_id uuid        not null,
    subject    text        not null,
    rating     smallint    not null,
    title      text,
    body       text,
    reply_body text,
    reply_by   text,
    replied_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version    bigint      not null,
    constraint pk_review primary key (id),
    constraint uq_review_listing_subject unique (listing_id, subject),
    constraint ck_review_rating check (rating between 1 and 5),
    constraint fk_review_listing foreign key (listing_id) references listing (id) on delete cascade
);
create index ix_review_listing on review (listing_id, updated_at desc);

-- What the catalog learns from other services' events (no foreign keys: events may name listings it never had).
create table buyer_download (
    listing_id uuid        not null,
    subject    text        not null,
    first_at   timestamptz not null,
    constraint pk_buyer_download primary key (listing_id, subject)
);
create table listing_download_daily (
    listing_id uuid   not null,
    day        date   not null,
    downloads  bigint not null,
    constraint pk_listing_download_daily primary key (listing_id, day)
);
create table entitlement (
    entitlement_key text        not null,
    listing_id      uuid        not null,
    subject         text        not null,
    status          text        not null,
    source          text        not null,
    updated_at      timestamptz not null,
    constraint pk_entitlement primary key (entitlement_key)
);
create index ix_entitlement_listing on entitlement (listing_id, subject);

-- Consumer deduplication (Debezium's MessageLog): written in the transaction that applies the event.
create table processed_event (
    event_id     text        not null,
    topic        text        not null,
    processed_at timestamptz not null default now(),
    constraint pk_processed_event primary key (event_id)
);
