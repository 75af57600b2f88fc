-- A unit's contact person. The phone is personal data: stored sealed (vault.Sealer, field
-- unit_contacts.phone) with a blind index to find it.
CREATE TABLE unit_contacts (
    district     TEXT NOT NULL,
    unit         TEXT NOT NULL,
    name         TEXT NOT NULL,
    phone_sealed BLOB NOT NULL,
    phone_index  BLOB NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (district, unit)
);
CREATE INDEX unit_contacts_phone_index_idx ON unit_contacts (phone_index);

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
