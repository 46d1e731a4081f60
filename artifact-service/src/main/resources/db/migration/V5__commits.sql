-- File history as immutable commits (README, "Commits"). A commit's manifest is stored whole (commit_file), so that
-- any commit, version or branch resolves to its files with one indexed query; model repositories hold tens of files.
create table listing_commit (
    listing_id   uuid         not null references listing (listing_id) on delete cascade,
    commit_id    char(40)     not null,
    parent_id    char(40),
    -- 1, 2, 3, ... per listing: the order of the history (the first commit has no parent).
    seq          bigint       not null,
    message      text         not null,
    author       text,
    created_at   timestamptz  not null default now(),
    file_count   integer      not null,
    total_size   bigint       not null,
    -- Files of this commit's manifest whose scan verdict is UNSAFE: catalog and the web page warn about them.
    unsafe_files integer      not null default 0,
    constraint listing_commit_pk primary key (listing_id, commit_id),
    constraint listing_commit_seq_uk unique (listing_id, seq)
);

create table commit_file (
    listing_id    uuid          not null,
    commit_id     char(40)      not null,
    path          varchar(1024) not null,
    size          bigint        not null check (size >= 0),
    sha256        char(64)      not null,
    -- The commit that last changed this path (itself, or an ancestor's id carried over).
    last_commit   char(40)      not null,
    scan_verdict  varchar(16)   not null default 'NOT_SCANNED',
    scan_findings text[]        not null default '{}',
    constraint commit_file_pk primary key (listing_id, commit_id, path),
    constraint commit_file_commit_fk foreign key (listing_id, commit_id)
        references listing_commit (listing_id, commit_id) on delete cascade
);
-- The blob garbage collector asks whether any commit still uses a blob.
create index commit_file_sha256_ix on commit_file (sha256);

-- Branches (today only main): a movable name for a commit. Moved with a compare-and-set on commit_id.
create table branch (
    listing_id uuid        not null references listing (listing_id) on delete cascade,
    name       varchar(64) not null,
    commit_id  char(40)    not null,
    updated_at timestamptz not null default now(),
    constraint branch_pk primary key (listing_id, name),
    constraint branch_commit_fk foreign key (listing_id, commit_id) references listing_commit (listing_id, commit_id)
);

-- Files uploaded before commits existed (file_entry, revision main) become each listing's first commit, with the id
-- computed by the same recipe as CommitId (README): left(sha256(canonical text), 40).
insert into listing_commit (listing_id, commit_id, parent_id, seq, message, author, file_count, total_size)
select f.listing_id,
       left(encode(sha256(convert_to(
           'modelmarket-commit 1' || chr(10)
           || 'parent -' || chr(10)
           || 'message ' || octet_length('Import files uploaded before commits') || chr(10)
           || 'Import files uploaded before commits' || chr(10)
           || string_agg(f.sha256 || ' ' || f.size || ' ' || f.path || chr(10), '' order by convert_to(f.path, 'UTF8')),
           'UTF8')), 'hex'), 40),
       null, 1, 'Import files uploaded before commits', null, count(*), sum(f.size)
from file_entry f
where f.revision = 'main'
group by f.listing_id;

insert into commit_file (listing_id, commit_id, path, size, sha256, last_commit)
select f.listing_id, c.commit_id, f.path, f.size, f.sha256, c.commit_id
from file_entry f
join listing_commit c on c.listing_id = f.listing_id
where f.revision = 'main';

insert into branch (listing_id, name, commit_id)
select listing_id, 'main', commit_id from listing_commit;

drop table file_entry;

-- Catalog versions (1.2.0) and the commit each names, from catalog's version events. No foreign keys: the event may
-- arrive before the listing's state event, or name a commit this service has not seen (then it does not resolve).
create table listing_version (
    listing_id   uuid        not null,
    name         varchar(64) not null,
    commit_id    char(40)    not null,
    published_at timestamptz not null default now(),
    constraint listing_version_pk primary key (listing_id, name)
);
