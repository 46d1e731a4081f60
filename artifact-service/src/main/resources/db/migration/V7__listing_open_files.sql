-- A listing's own open-file rule (PUT /api/v1/listings/{ns}/{name}/file-access), set by its owners or an admin: the
-- only columns of the projected listing row that artifact-service writes itself; catalog's events never touch them.
-- NULL: the service's default (modelmarket.artifact.access.open-files).
alter table listing add column open_files text[];
alter table listing add column open_files_updated_at timestamptz;
alter table listing add column open_files_updated_by varchar(255);
