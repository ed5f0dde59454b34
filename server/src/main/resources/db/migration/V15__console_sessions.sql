-- Web console sessions (docs/console.md, "Sessions"). A login exchanges an admin key for a random session id; only its
-- SHA-256 is stored, so a copy of this table opens nothing. Kept in the database so that every instance on the same
-- PostgreSQL accepts a session any of them created, and a logout on one ends it on all. Revoking the key (or deleting
-- it) ends its sessions: they are read joined to the active keys.
CREATE TABLE console_sessions (
    id_hash     VARCHAR(64)  PRIMARY KEY,
    key_pk      BIGINT       NOT NULL REFERENCES admin_api_keys (id) ON DELETE CASCADE,
    -- The synchronizer token of the session's forms (docs/console.md, "CSRF").
    csrf_token  VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_console_sessions_expires ON console_sessions (expires_at);

-- The console's device search (by custom id) and a device's last events, without scanning an app's devices or events.
CREATE INDEX ix_devices_custom_id ON devices (app_pk, custom_id);
CREATE INDEX ix_stats_app_device ON stats_events (app_pk, device_id, received_at);
