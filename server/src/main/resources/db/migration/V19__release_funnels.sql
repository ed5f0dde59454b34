-- Release funnels counted as events and offers arrive (docs/operations.md, "Release health"), so a console page or
-- the stats API reads a few counters per release instead of counting distinct devices over all of an app's events.
-- A row per release, stage and device that reached it (the stage codes of FunnelStage); written with
-- "on conflict do nothing", so a device counts once however often it reports.
CREATE TABLE release_funnel_devices (
    app_pk     BIGINT        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    version    VARCHAR(1024) NOT NULL,
    stage      VARCHAR(32)   NOT NULL,
    device_id  VARCHAR(64)   NOT NULL,
    PRIMARY KEY (app_pk, version, stage, device_id)
);
-- The number of rows above per release and stage: incremented by the rows actually inserted, in the same transaction.
CREATE TABLE release_funnel_counts (
    app_pk   BIGINT        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    version  VARCHAR(1024) NOT NULL,
    stage    VARCHAR(32)   NOT NULL,
    devices  BIGINT        NOT NULL,
    PRIMARY KEY (app_pk, version, stage)
);

-- backfill: what was stored before this migration, counted as the server counted it then (an event counts for the
-- release in stats_events.version, docs/protocol.md §3.7). H2Import runs the statements from here on again after it
-- copies an older database. Recounting is idempotent.
INSERT INTO release_funnel_devices (app_pk, version, stage, device_id)
SELECT app_pk, version, 'offered', device_id FROM device_offers
ON CONFLICT DO NOTHING;

INSERT INTO release_funnel_devices (app_pk, version, stage, device_id)
SELECT DISTINCT e.app_pk, e.version, m.stage, e.device_id
FROM stats_events e
JOIN (VALUES
    ('download_zip_start', 'download_started'), ('download_manifest_start', 'download_started'),
    ('download_10', 'download_started'), ('download_20', 'download_started'), ('download_30', 'download_started'),
    ('download_40', 'download_started'), ('download_50', 'download_started'), ('download_60', 'download_started'),
    ('download_70', 'download_started'), ('download_80', 'download_started'), ('download_90', 'download_started'),
    ('download_complete', 'downloaded'),
    ('set', 'installed'),
    ('app_launch_ready', 'confirmed'),
    ('update_fail', 'rolled_back'),
    ('download_fail', 'failed'), ('download_fail', 'failed_download'),
    ('finish_download_fail', 'failed'), ('finish_download_fail', 'failed_download'),
    ('low_mem_fail', 'failed'), ('low_mem_fail', 'failed_download'),
    ('insufficient_disk_space', 'failed'), ('insufficient_disk_space', 'failed_download'),
    ('session_key_required', 'failed'), ('session_key_required', 'failed_verify'),
    ('checksum_required', 'failed'), ('checksum_required', 'failed_verify'),
    ('checksum_fail', 'failed'), ('checksum_fail', 'failed_verify'),
    ('decrypt_fail', 'failed'), ('decrypt_fail', 'failed_verify'),
    ('unzip_fail', 'failed'), ('unzip_fail', 'failed_unzip'),
    ('canonical_path_fail', 'failed'), ('canonical_path_fail', 'failed_unzip'),
    ('windows_path_fail', 'failed'), ('windows_path_fail', 'failed_unzip'),
    ('directory_path_fail', 'failed'), ('directory_path_fail', 'failed_unzip'),
    ('set_fail', 'failed'), ('set_fail', 'failed_set'),
    ('update_fail', 'failed'), ('update_fail', 'failed_rollback'),
    ('download_manifest_file_fail', 'failed'), ('download_manifest_file_fail', 'failed_manifest_file'),
    ('download_manifest_checksum_fail', 'failed'), ('download_manifest_checksum_fail', 'failed_manifest_file'),
    ('download_manifest_brotli_fail', 'failed'), ('download_manifest_brotli_fail', 'failed_manifest_file'),
    ('manifest_path_fail', 'failed'), ('manifest_path_fail', 'failed_manifest_file')
) AS m (action, stage) ON m.action = e.action
WHERE e.version IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO release_funnel_counts (app_pk, version, stage, devices)
SELECT app_pk, version, stage, count(*) FROM release_funnel_devices GROUP BY app_pk, version, stage
ON CONFLICT (app_pk, version, stage) DO UPDATE SET devices = EXCLUDED.devices;
