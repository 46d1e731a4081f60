-- GET /api/v1/vendors?member=... finds a caller's vendors with members @> array[subject]; a GIN index answers that
-- without reading every vendor row. The page is ordered by namespace in byte order (collate "C").
create index ix_vendor_members on vendor using gin (members);
