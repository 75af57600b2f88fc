-- The work registers and the assessment's indicators (issue 10). Both are dated facts never
-- updated: an entry's correction or withdrawal is a new row of the same entry (entry = the id
-- of its first row), an indicator's change a new version of the same code; the latest row at
-- a moment applies. Registers belong to a district, not a plan: a seconded cadre or a pairing
-- spans years, and the indicators of each year read the entries dated in their periods.

CREATE TABLE register_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    entry     INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    reason    TEXT NOT NULL DEFAULT '',
    on_date   TEXT NOT NULL,
    unit      TEXT NOT NULL DEFAULT '',
    region    TEXT NOT NULL DEFAULT '',
    team      TEXT NOT NULL DEFAULT '',
    fields    TEXT NOT NULL,
    by_user   TEXT NOT NULL,
    by_unit   TEXT NOT NULL DEFAULT '',
    at        TIMESTAMP NOT NULL
);
CREATE INDEX register_entries_kind_idx ON register_entries (district, kind, entry, id);
CREATE INDEX register_entries_date_idx ON register_entries (district, on_date);

CREATE TABLE indicator_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district  TEXT NOT NULL,
    year      INTEGER NOT NULL,
    code      TEXT NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    body      TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    by_user   TEXT NOT NULL,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX indicator_versions_year_idx ON indicator_versions (district, year, code, id);
