-- Projection of catalog.listings: only what artifact-service needs to authorize file access.
create table listing (
    listing_id        uuid primary key,
    namespace         varchar(64)  not null,
    name              varchar(64)  not null,
    owners            text[]       not null,
    visibility        varchar(16)  not null,
    aggregate_version bigint       not null,
    updated_at        timestamptz  not null default now(),
    constraint listing_coordinates_uk unique (namespace, name)
);
