-- A device's own channel choice (POST /channel_self from plugins that keep it on the server) bumps this counter
-- instead of the app's revision: other instances then reload only the app's device choices, not the whole app
-- (docs/architecture.md, "Snapshots").
ALTER TABLE apps ADD COLUMN choices_revision BIGINT NOT NULL DEFAULT 0;
