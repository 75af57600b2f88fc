-- Audit entries written by the busiest writes (progress reports) wait here, committed with
-- their change, until the sealer chains them into audit_log in a batch (sqldb/audit_seal.go):
-- writers then no longer take the audit log's lock and hold it through their commit. Each
-- waiting entry carries an HMAC-SM3 under the audit key over its content and its ref (a
-- random id), so that one inserted by somebody without the key is never sealed; an entry
-- leaves this table only into audit_log, whose ref column names it (at most once), so that
-- none can be dropped or replayed before it is chained.
CREATE TABLE audit_pending (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ref          TEXT NOT NULL UNIQUE,
    at           TIMESTAMP NOT NULL,
    user_id      INTEGER NOT NULL,
    username     TEXT NOT NULL,
    unit         TEXT NOT NULL,
    ip           TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    object_label TEXT NOT NULL,
    before_json  TEXT NOT NULL,
    after_json   TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
    detail       TEXT NOT NULL,
    mac          TEXT NOT NULL
);

-- The waiting entry a chained entry was sealed from; NULL for entries appended directly.
ALTER TABLE audit_log ADD COLUMN ref TEXT;
CREATE UNIQUE INDEX audit_log_ref_idx ON audit_log (ref);

CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
BEGIN
    SELECT RAISE(ABORT, 'audit_pending entries cannot be changed');
END;

CREATE TRIGGER audit_pending_only_sealed BEFORE DELETE ON audit_pending
WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE ref = old.ref)
BEGIN
    SELECT RAISE(ABORT, 'audit_pending entries leave only into audit_log');
END;
