-- Accounts, sessions, API tokens, settings and the audit log.
--
-- Personal data is stored sealed (see vault.Sealer): the phone as phone_sealed with a blind
-- index phone_index to find it, the TOTP secret as totp_sealed. Sign-in failures and lockout
-- live here, not in a process, so that every instance sees them.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT NOT NULL,
    name           TEXT NOT NULL,
    district       TEXT NOT NULL,
    unit           TEXT NOT NULL,
    phone_sealed   BLOB,
    phone_index    BLOB,
    password_hash  TEXT NOT NULL,
    password_at    TIMESTAMP NOT NULL,
    must_change    INTEGER NOT NULL CHECK (must_change IN (0, 1)),
    disabled       INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    totp_sealed    BLOB,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    failed_count   INTEGER NOT NULL DEFAULT 0,
    locked_until   TIMESTAMP,
    last_sign_in   TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_phone_index_key UNIQUE (phone_index)
);
CREATE INDEX users_district_unit_idx ON users (district, unit);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role),
    CONSTRAINT user_roles_role_check CHECK (role IN ('office', 'unit', 'teamlead', 'cadre', 'leader',
        'sysadmin', 'secadmin', 'auditor'))
);
CREATE INDEX user_roles_role_idx ON user_roles (role);

-- The partner regions of a cadre, in the order they were given.
CREATE TABLE user_regions (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    region  TEXT NOT NULL,
    PRIMARY KEY (user_id, seq),
    CONSTRAINT user_regions_user_id_region_key UNIQUE (user_id, region)
);

-- A session is found by the SHA-256 of its token (hex): the token itself is never stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf          TEXT NOT NULL,
    second_factor INTEGER NOT NULL CHECK (second_factor IN (0, 1)),
    ip            TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen     TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_last_seen_idx ON sessions (last_seen);

-- An API token is found by the SHA-256 of its secret.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    token_hash BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used  TIMESTAMP,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

-- Security policy values, set by the security administrator.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The audit log: append-only, each entry chained to the one before by its SM3 hash. seq
-- numbers the entries without gaps; hash = SM3(prev_hash || canonical encoding of the entry),
-- see sqldb/audit.go. No foreign key: an entry outlives whatever it names.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
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
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_username_idx ON audit_log (username, seq);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);

-- Nobody changes an entry, and nobody deletes one younger than 180 days (Cybersecurity Law
-- art. 21: network logs are kept at least six months). Times are stored in UTC, as text
-- whose first 19 characters are YYYY-MM-DD HH:MM:SS.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;

CREATE TRIGGER audit_log_keep_180_days BEFORE DELETE ON audit_log
WHEN julianday(substr(old.at, 1, 19)) IS NULL
    OR julianday(substr(old.at, 1, 19)) > julianday('now', '-180 days')
BEGIN
    SELECT RAISE(ABORT, 'audit_log entries are kept at least 180 days');
END;
