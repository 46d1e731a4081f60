-- A part may be sent with a CRC32C instead of its SHA-256 (X-Checksum-Crc32c, as S3 allows): the whole file's
-- SHA-256 is still verified at completion before anything becomes visible, so the part's own checksum only has to catch
-- a part damaged on the way, and CRC32C (hardware-accelerated) spares a second SHA-256 pass over every byte.
-- crc32c: 8 lowercase hex digits of the big-endian value. Each part has at least one of the two.
alter table upload_part alter column sha256 drop not null;
alter table upload_part add column crc32c char(8);
alter table upload_part add constraint upload_part_checksum_ck check (sha256 is not null or crc32c is not null);
