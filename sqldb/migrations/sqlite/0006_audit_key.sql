-- The audit log's chain becomes keyed: each entry says how its hash was made. 'sm3' entries
-- (the ones written before the audit key existed) hash as SM3(prev_hash || entry); 'hmac-sm3'
-- entries as HMAC-SM3 under the audit key of the key file, which the database never sees.
-- Once one keyed entry is written, every later one is keyed (see sqldb/audit.go).
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT 'sm3'
    CHECK (chain IN ('sm3', 'hmac-sm3'));
