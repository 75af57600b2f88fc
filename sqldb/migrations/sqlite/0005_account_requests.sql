-- Districts and the approval of privileged accounts (三员分立).
--
-- The city office (cityoffice) is a role: user_roles is made again with it in its check.
-- account_requests are dated facts: a grant of privileged roles or a password reset of a
-- privileged account, asked by the system administrator and decided once by a security
-- administrator; a decided request is never changed. requested_by and decided_by are NULL
-- when the operator acted on the server (seeding, `xiezuo user add`), recorded as the system.
CREATE TABLE user_roles_new (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role),
    CONSTRAINT user_roles_role_check CHECK (role IN ('office', 'cityoffice', 'unit', 'teamlead', 'cadre',
        'leader', 'sysadmin', 'secadmin', 'auditor'))
);
INSERT INTO user_roles_new (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;
CREATE INDEX user_roles_role_idx ON user_roles (role);

CREATE TABLE account_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('grant', 'reset')),
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
CREATE INDEX account_requests_user_idx ON account_requests (user_id, id);
-- One pending request of each kind per account.
CREATE UNIQUE INDEX account_requests_pending_key ON account_requests (user_id, kind) WHERE decision IS NULL;

-- A request is decided once: after that nothing of it changes, and it is never deleted.
CREATE TRIGGER account_requests_decided_once BEFORE UPDATE ON account_requests
WHEN old.decision IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'account_requests: a decided request cannot be changed');
END;
CREATE TRIGGER account_requests_no_delete BEFORE DELETE ON account_requests
BEGIN
    SELECT RAISE(ABORT, 'account_requests are kept');
END;

-- The half of an approved password the system administrator is to hand over, sealed; deleted
-- once shown.
CREATE TABLE account_request_halves (
    request_id  INTEGER PRIMARY KEY REFERENCES account_requests (id),
    half_sealed BLOB NOT NULL
);
