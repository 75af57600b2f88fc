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
    rows_total INTEGER NOT NULL DEFAULT 0,       -- the rows the file holds, about (0 unknown)
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
    digest       BLOB,                       -- keyed index of the entry's values: a re-import compares it to tell unchanged rows
    import_id    INTEGER,
    import_row   INTEGER,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (person_id, district, list)  -- person_id first: also the index of a person's entries
);
CREATE INDEX labour_entries_filter_idx ON labour_entries (district, list, region, town_code, poor, status);
CREATE INDEX labour_entries_phone_idx ON labour_entries (phone_index);
CREATE INDEX labour_entries_list_idx ON labour_entries (district, list, id);
CREATE INDEX labour_people_name_idx ON labour_people (name);

-- labour_entry_counts keeps the number of entries of each (district, list, region, town, poor
-- flag, status), kept by triggers in the transaction of every write of labour_entries, so that
-- a list page's counts read a few hundred rows instead of scanning a million entries.
CREATE TABLE labour_entry_counts (
    district  TEXT NOT NULL,
    list      TEXT NOT NULL,
    region    TEXT NOT NULL,
    town_code TEXT NOT NULL,
    poor      TEXT NOT NULL,
    status    TEXT NOT NULL,
    n         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (district, list, region, town_code, poor, status)
);

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
    digest      BLOB,                          -- keyed index of the job's values: a re-import tells unchanged rows
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
CREATE INDEX labour_placements_supersedes_idx ON labour_placements (supersedes);
CREATE INDEX labour_placements_job_idx ON labour_placements (job_id);

-- Entries are inserted by imports only, which add their batch's counts by group themselves
-- (sqldb/labour_import.go, flushSQLite): a row trigger cost an upsert per row of a million.
-- labour_entry_skill_counts is labour_entry_counts by skill of the catalogue as well (an entry
-- counts once under each skill_mask bit it has, skill_mask holding that one bit), so that a
-- filter by skill counts without scanning. labour_skill_bits lists the 63 bits.
CREATE TABLE labour_entry_skill_counts (
    district   TEXT NOT NULL,
    list       TEXT NOT NULL,
    skill_mask BIGINT NOT NULL,
    region     TEXT NOT NULL,
    town_code  TEXT NOT NULL,
    poor       TEXT NOT NULL,
    status     TEXT NOT NULL,
    n          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (district, list, skill_mask, region, town_code, poor, status)
);
CREATE TABLE labour_skill_bits (mask BIGINT PRIMARY KEY);
WITH RECURSIVE b(bit) AS (SELECT 0 UNION ALL SELECT bit + 1 FROM b WHERE bit < 62)
INSERT INTO labour_skill_bits (mask) SELECT 1 << bit FROM b;

CREATE TRIGGER labour_entries_count_update AFTER UPDATE OF district, list, region, town_code, poor, status, skill_mask ON labour_entries
WHEN OLD.district IS NOT NEW.district OR OLD.list IS NOT NEW.list OR OLD.region IS NOT NEW.region
    OR OLD.town_code IS NOT NEW.town_code OR OLD.poor IS NOT NEW.poor OR OLD.status IS NOT NEW.status
    OR OLD.skill_mask IS NOT NEW.skill_mask
BEGIN
    UPDATE labour_entry_skill_counts SET n = n - 1
    WHERE district = OLD.district AND list = OLD.list AND region = OLD.region AND town_code = OLD.town_code
        AND poor = OLD.poor AND status = OLD.status
        AND skill_mask IN (SELECT mask FROM labour_skill_bits WHERE (OLD.skill_mask & mask) <> 0);
    INSERT INTO labour_entry_skill_counts (district, list, skill_mask, region, town_code, poor, status, n)
    SELECT NEW.district, NEW.list, mask, NEW.region, NEW.town_code, NEW.poor, NEW.status, 1
    FROM labour_skill_bits WHERE (NEW.skill_mask & mask) <> 0
    ON CONFLICT (district, list, skill_mask, region, town_code, poor, status) DO UPDATE SET n = n + 1;
    UPDATE labour_entry_counts SET n = n - 1
    WHERE district = OLD.district AND list = OLD.list AND region = OLD.region
        AND town_code = OLD.town_code AND poor = OLD.poor AND status = OLD.status;
    INSERT INTO labour_entry_counts (district, list, region, town_code, poor, status, n)
    VALUES (NEW.district, NEW.list, NEW.region, NEW.town_code, NEW.poor, NEW.status, 1)
    ON CONFLICT (district, list, region, town_code, poor, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER labour_entries_count_delete AFTER DELETE ON labour_entries BEGIN
    UPDATE labour_entry_skill_counts SET n = n - 1
    WHERE district = OLD.district AND list = OLD.list AND region = OLD.region AND town_code = OLD.town_code
        AND poor = OLD.poor AND status = OLD.status
        AND skill_mask IN (SELECT mask FROM labour_skill_bits WHERE (OLD.skill_mask & mask) <> 0);
    UPDATE labour_entry_counts SET n = n - 1
    WHERE district = OLD.district AND list = OLD.list AND region = OLD.region
        AND town_code = OLD.town_code AND poor = OLD.poor AND status = OLD.status;
END;
