-- Labour cooperation (劳务协作, issue 12): the three lists, matching and placements.
--
-- labour_people is one row per person across districts and lists, found by the blind index of
-- the ID number (HMAC-SM3, vault field "labour_people.id_number"); the number itself is only
-- sealed (SM4-GCM). What one district's list says of a person is its labour_entries row,
-- updated by a re-import of that list (the values it replaced go to labour_entry_history).
-- Matches' confirmations and placements are dated facts, never updated: a placement's
-- correction, end or withdrawal is a new row that supersedes the one before.

CREATE TABLE labour_people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_index  BLOB NOT NULL UNIQUE,
    id_sealed BLOB NOT NULL,
    name      TEXT NOT NULL,
    sex       TEXT NOT NULL DEFAULT '',
    birth     TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE labour_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district   TEXT NOT NULL,
    list       TEXT NOT NULL,
    file_name  TEXT NOT NULL DEFAULT '',
    mode       TEXT NOT NULL DEFAULT 'whole',   -- whole: refuse the file on any bad row; skip: take the good rows
    state      TEXT NOT NULL DEFAULT 'running', -- running, done, refused, failed
    mapping    TEXT NOT NULL DEFAULT '',        -- the LabourMapping as JSON
    rows_read  INTEGER NOT NULL DEFAULT 0,
    added      INTEGER NOT NULL DEFAULT 0,
    updated    INTEGER NOT NULL DEFAULT 0,
    unchanged  INTEGER NOT NULL DEFAULT 0,
    bad        INTEGER NOT NULL DEFAULT 0,
    errors     TEXT NOT NULL DEFAULT '[]',      -- the first bad rows as JSON [{row, message}]
    bad_sealed BLOB,                            -- the bad rows' workbook, sealed (it holds what was typed)
    message    TEXT NOT NULL DEFAULT '',
    by_user    TEXT NOT NULL,
    by_unit    TEXT NOT NULL DEFAULT '',
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX labour_imports_district_idx ON labour_imports (district, id);

CREATE TABLE labour_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district     TEXT NOT NULL,
    list         TEXT NOT NULL,
    person_id    INTEGER NOT NULL REFERENCES labour_people (id),
    phone_sealed BLOB,
    phone_index  BLOB,
    home_code    TEXT NOT NULL DEFAULT '',
    town_code    TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL DEFAULT '',
    poor         TEXT NOT NULL DEFAULT '',
    skills       TEXT NOT NULL DEFAULT '',   -- 、-joined
    skill_mask   INTEGER NOT NULL DEFAULT 0, -- bits of the skill catalogue, for the filter
    education    TEXT NOT NULL DEFAULT '',
    details      TEXT NOT NULL DEFAULT '{}', -- the list's other fields as JSON (no personal data)
    income_sealed BLOB,
    status       TEXT NOT NULL DEFAULT '',   -- derived (待匹配, 已推荐, 已就业 …), kept by the writes that change it
    import_id    INTEGER,
    import_row   INTEGER,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (district, list, person_id)
);
CREATE INDEX labour_entries_filter_idx ON labour_entries (district, list, region, town_code, poor, status);
CREATE INDEX labour_entries_person_idx ON labour_entries (person_id);
CREATE INDEX labour_entries_phone_idx ON labour_entries (phone_index);

CREATE TABLE labour_entry_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id  INTEGER NOT NULL REFERENCES labour_entries (id),
    import_id INTEGER,
    before    TEXT NOT NULL,                 -- the replaced values as JSON (personal fields sealed, base64)
    at        TIMESTAMP NOT NULL
);
CREATE INDEX labour_entry_history_idx ON labour_entry_history (entry_id, id);

CREATE TABLE labour_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district    TEXT NOT NULL,
    job_key     TEXT NOT NULL,
    employer    TEXT NOT NULL,
    credit_code TEXT NOT NULL DEFAULT '',
    post        TEXT NOT NULL,
    wanted      INTEGER NOT NULL DEFAULT 0,
    place_code  TEXT NOT NULL DEFAULT '',
    pay_min     INTEGER NOT NULL DEFAULT 0,
    pay_max     INTEGER NOT NULL DEFAULT 0,
    skills      TEXT NOT NULL DEFAULT '',
    skill_mask  INTEGER NOT NULL DEFAULT 0,
    education   TEXT NOT NULL DEFAULT '',
    start_on    TEXT,
    end_on      TEXT,
    details     TEXT NOT NULL DEFAULT '{}',  -- contact, board, note, place name
    contact_phone_sealed BLOB,
    import_id   INTEGER,
    import_row  INTEGER,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (district, job_key)
);

CREATE TABLE labour_matches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district   TEXT NOT NULL,
    entry_id   INTEGER NOT NULL REFERENCES labour_entries (id),
    person_id  INTEGER NOT NULL REFERENCES labour_people (id),
    job_id     INTEGER NOT NULL REFERENCES labour_jobs (id),
    run_id     INTEGER NOT NULL DEFAULT 0,
    score      INTEGER NOT NULL DEFAULT 0,
    reasons    TEXT NOT NULL DEFAULT '',     -- the reasons, one a line
    by_user    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX labour_matches_person_idx ON labour_matches (district, person_id, id);
CREATE INDEX labour_matches_job_idx ON labour_matches (job_id);

CREATE TABLE labour_match_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    match_id  INTEGER NOT NULL REFERENCES labour_matches (id),
    kind      TEXT NOT NULL,                 -- office, employer, decline
    note      TEXT NOT NULL DEFAULT '',      -- the employer's contact and how they confirmed; a reason
    by_user   TEXT NOT NULL,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX labour_match_events_idx ON labour_match_events (match_id, id);

CREATE TABLE labour_placements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district    TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES labour_people (id),
    job_id      INTEGER,
    match_id    INTEGER,
    employer    TEXT NOT NULL,
    credit_code TEXT NOT NULL DEFAULT '',
    post        TEXT NOT NULL DEFAULT '',
    place_code  TEXT NOT NULL DEFAULT '',
    start_on    TEXT NOT NULL,
    end_on      TEXT,
    pay_sealed  BLOB,
    poor        TEXT NOT NULL DEFAULT '',
    home_code   TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    supersedes  INTEGER,
    withdrawn   INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    reason      TEXT NOT NULL DEFAULT '',
    by_user     TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX labour_placements_district_idx ON labour_placements (district, id);
CREATE INDEX labour_placements_person_idx ON labour_placements (person_id, id);
