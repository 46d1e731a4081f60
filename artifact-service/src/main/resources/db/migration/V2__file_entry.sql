-- File metadata; the bytes live in the blob store under their sha256.
create table file_entry (
    id         bigint generated always as identity primary key,
    listing_id uuid          not null references listing (listing_id) on delete cascade,
    revision   varchar(255)  not null default 'main',
    path       varchar(1024) not null,
    size       bigint        not null check (size >= 0),
    sha256     char(64)      not null,
    created_at timestamptz   not null default now(),
    updated_at timestamptz   not null default now(),
    constraint file_entry_path_uk unique (listing_id, revision, path)
);
-- Finds every file using a blob (for the blob garbage collector to come).
create index file_entry_sha256_ix on file_entry (sha256);
