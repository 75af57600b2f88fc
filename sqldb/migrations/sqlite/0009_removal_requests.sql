-- Removing a security or audit administrator waits for another security administrator like a
-- grant (三员分立): account_requests take two more kinds, revoke (the account's roles after
-- approval, without a guarded role it held) and disable. SQLite changes a CHECK only by making
-- the table again; the halves waiting to be shown are kept aside meanwhile, and the triggers
-- and indexes made again as 0005 made them.
CREATE TEMPORARY TABLE halves_kept AS SELECT request_id, half_sealed FROM account_request_halves;
DELETE FROM account_request_halves;
CREATE TABLE account_requests_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('grant', 'reset', 'revoke', 'disable')),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    roles        TEXT NOT NULL DEFAULT '',
    requested_by INTEGER REFERENCES users (id),
    requested_at TIMESTAMP NOT NULL,
    decided_by   INTEGER REFERENCES users (id),
    decided_at   TIMESTAMP,
    decision     TEXT CHECK (decision IN ('approve', 'reject')),
    reason       TEXT NOT NULL DEFAULT '',
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
INSERT INTO account_requests_new SELECT id, kind, user_id, roles, requested_by, requested_at, decided_by, decided_at, decision, reason FROM account_requests;
DROP TABLE account_requests;
ALTER TABLE account_requests_new RENAME TO account_requests;
CREATE INDEX account_requests_user_idx ON account_requests (user_id, id);
CREATE UNIQUE INDEX account_requests_pending_key ON account_requests (user_id, kind) WHERE decision IS NULL;
CREATE TRIGGER account_requests_decided_once BEFORE UPDATE ON account_requests
WHEN old.decision IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'account_requests: a decided request cannot be changed');
END;
CREATE TRIGGER account_requests_no_delete BEFORE DELETE ON account_requests
BEGIN
    SELECT RAISE(ABORT, 'account_requests are kept');
END;
INSERT INTO account_request_halves (request_id, half_sealed) SELECT request_id, half_sealed FROM halves_kept;
DROP TABLE halves_kept;
