-- Shipping the audit log to the office's log system (serve --audit-ship): per target, the seq
-- of the last entry shipped and the lease of the one instance shipping now. Entries are shipped
-- at least once, in seq order: a collector drops repeats by seq.
CREATE TABLE audit_ship (
    target      TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL DEFAULT 0,
    holder      TEXT NOT NULL DEFAULT '',
    lease_until TIMESTAMP NOT NULL
);
