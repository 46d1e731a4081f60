-- The revision of a listing's own open-file rule: incremented by every PUT or DELETE of .../file-access that changes
-- the rule. It is the rule's ETag (If-Match compares it in the same UPDATE, so of two writers with the same ETag one
-- gets 412) and the "version" of the FileAccessChanged event.
alter table listing add column open_files_version bigint not null default 0;
