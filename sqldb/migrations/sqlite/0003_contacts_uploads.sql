-- The contact person of a unit or of a project: subject is "unit/区财政局" or
-- "project/2021/内蒙古武川县/武川县稳定就业补贴项目". The phone is personal data: stored sealed
-- (vault.Sealer, field contacts.phone) with a blind index to find it.
CREATE TABLE contacts (
    district     TEXT NOT NULL,
    subject      TEXT NOT NULL,
    name         TEXT NOT NULL,
    phone_sealed BLOB NOT NULL,
    phone_index  BLOB NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (district, subject)
);
CREATE INDEX contacts_phone_index_idx ON contacts (phone_index);

-- A plan document uploaded through the web and checked, waiting for the office to confirm
-- the import; any instance may receive the confirmation.
CREATE TABLE uploads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    content    BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX uploads_created_at_idx ON uploads (created_at);
