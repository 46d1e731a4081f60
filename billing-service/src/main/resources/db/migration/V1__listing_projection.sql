-- Projection of catalog.listings: what billing needs to decide entitlements.
create table listing (
    listing_id        uuid primary key,
    namespace         varchar(64) not null,
    name              varchar(64) not null,
    price_type        varchar(16) not null,
    aggregate_version bigint      not null,
    updated_at        timestamptz not null default now(),
    constraint listing_coordinates_uk unique (namespace, name)
);
