-- Issue 16: which key's variant of a release goes to devices whose plugin sends no usable key_id (before 8.40.7: none,
-- or the 4 characters every RSA-2048 key shares). NULL: the release's first variant (docs/protocol.md §2.9 rule 7).
ALTER TABLE apps ADD COLUMN default_key_id VARCHAR(20);
