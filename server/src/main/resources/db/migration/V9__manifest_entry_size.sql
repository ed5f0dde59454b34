-- Issue 14: the size of each delta payload as stored (bytes a device downloads for that file), for
-- POST /updates/manifest_size. NULL for entries registered without one (sized as unknown).
ALTER TABLE bundle_manifest_entries ADD COLUMN size BIGINT;
ALTER TABLE bundle_manifest_entries ADD CONSTRAINT ck_manifest_size CHECK (size IS NULL OR size >= 0);
