-- Rollouts per channel (docs/protocol.md §2.11, docs/admin-api.md "Rollouts"): a second bundle served to a share of
-- the channel's devices. The column names are the Capgo cloud's where it has one, so its CLI's fields map 1:1.
ALTER TABLE channels ADD COLUMN rollout_bundle_pk BIGINT REFERENCES bundles (id);
-- The share in basis points, 0 to 10000.
ALTER TABLE channels ADD COLUMN rollout_percentage_bps INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE channels ADD COLUMN rollout_enabled BOOLEAN DEFAULT FALSE NOT NULL;
-- New for every rollout bundle: the devices' buckets are drawn from it.
ALTER TABLE channels ADD COLUMN rollout_id VARCHAR(36);
-- Paused: no new device joins. By 'operator' or 'auto' (the automatic pause), with the reason.
ALTER TABLE channels ADD COLUMN rollout_paused_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE channels ADD COLUMN rollout_paused_by VARCHAR(16);
ALTER TABLE channels ADD COLUMN rollout_pause_reason VARCHAR(500);
ALTER TABLE channels ADD CONSTRAINT ck_channels_rollout_bps CHECK (rollout_percentage_bps BETWEEN 0 AND 10000);
