-- Blobs known to the service, for the garbage collector (the BlobStore port cannot list its content). Every write
-- touches last_used_at first-or-after, and the collector deletes only blobs unused for the grace period that no
-- commit and no open upload references, holding the row lock while it does.
create table blob (
    sha256       char(64)    primary key,
    size         bigint      not null,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz not null default now()
);
create index blob_last_used_ix on blob (last_used_at);
insert into blob (sha256, size) select distinct sha256, size from commit_file on conflict do nothing;

-- Resumable multipart uploads: the declared file, its parts (staged on local disk until complete).
create table upload_session (
    upload_id   uuid          primary key,
    listing_id  uuid          not null references listing (listing_id) on delete cascade,
    path        varchar(1024) not null,
    size        bigint        not null check (size >= 0),
    sha256      char(64)      not null,
    -- OPEN (parts arriving), COMPLETED (verified blob stored; committable by sha256), ABORTED
    status      varchar(16)   not null,
    created_by  text          not null,
    created_at  timestamptz   not null default now(),
    updated_at  timestamptz   not null default now(),
    expires_at  timestamptz   not null,
    commit_id   char(40)
);
create index upload_session_listing_ix on upload_session (listing_id, status);
create index upload_session_sha256_ix on upload_session (sha256);
create index upload_session_expires_ix on upload_session (expires_at);

create table upload_part (
    upload_id   uuid        not null references upload_session (upload_id) on delete cascade,
    part_number integer     not null check (part_number between 1 and 10000),
    size        bigint      not null,
    sha256      char(64)    not null,
    received_at timestamptz not null default now(),
    constraint upload_part_pk primary key (upload_id, part_number)
);

-- Download counting: one row per caller, file and UTC day; a FileDownloaded event only when the row is new.
create table download_tally (
    day        date          not null,
    listing_id uuid          not null,
    path       varchar(1024) not null,
    caller     text          not null,
    constraint download_tally_pk primary key (day, listing_id, path, caller)
);

-- Access: what the catalog says about price and gating, and the projections of entitlements and terms acceptances.
alter table listing add column price_type varchar(32) not null default 'free';
alter table listing add column gated boolean not null default false;
-- sha256 of the current gate terms (catalog's termsVersion); null when not gated.
alter table listing add column terms_version char(64);

create table entitlement (
    listing_id       uuid        not null,
    subject          text        not null,
    active           boolean     not null,
    status           varchar(32),
    expires_at       timestamptz,
    aggregate_version bigint     not null,
    updated_at       timestamptz not null default now(),
    constraint entitlement_pk primary key (listing_id, subject)
);

create table terms_acceptance (
    listing_id    uuid        not null,
    subject       text        not null,
    terms_version text        not null,
    accepted_at   timestamptz not null,
    constraint terms_acceptance_pk primary key (listing_id, subject, terms_version)
);

-- Idempotent consumers of event streams without an aggregate version (catalog.events): the platform's table.
create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    constraint pk_processed_event primary key (consumer, event_id)
);
create index ix_processed_event_processed_at on processed_event (processed_at);
