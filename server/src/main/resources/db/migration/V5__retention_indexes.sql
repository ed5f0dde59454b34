-- Retention (docs/operations.md, "Retention"): the retention job deletes stats events and devices older than their
-- retention period in small batches; these indexes let each batch find the oldest rows without scanning the table.
-- Portable SQL: the same migration runs on H2 and PostgreSQL. (V4 is the device API's migration.)

CREATE INDEX ix_stats_received ON stats_events (received_at);
CREATE INDEX ix_devices_last_seen ON devices (last_seen);
