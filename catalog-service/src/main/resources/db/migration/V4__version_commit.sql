-- A version names the artifact-service commit it freezes (40 hex); null for versions made before commits existed.
alter table listing_version add column commit_id char(40);
