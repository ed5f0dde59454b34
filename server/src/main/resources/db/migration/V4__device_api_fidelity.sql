-- Device API fidelity (docs/protocol.md §2.9, §11). Portable SQL: the same migration runs on H2 and PostgreSQL.

-- Whether update answers may carry a bundle's link and comment (to plugins that show them); off, as in the Capgo cloud.
ALTER TABLE apps ADD COLUMN expose_metadata BOOLEAN DEFAULT FALSE NOT NULL;

-- What a channel on the built-in bundle answers a device running a downloaded one: 'reset' ({"version":"builtin"},
-- the device goes back to its built-in bundle) or 'keep' (already_on_builtin, the device keeps its bundle).
ALTER TABLE channels ADD COLUMN builtin_target VARCHAR(16) DEFAULT 'reset' NOT NULL;
