-- SQLite: ids never reused (AUTOINCREMENT, like identity columns); TIMESTAMP is declared so
-- that the driver reads it back as a time; dates are TEXT YYYY-MM-DD; booleans are 0 or 1.
--
-- Plans as their documents state them, for many districts and years side by side.
-- Every fact row keeps its provenance: the document that last stated it, and the line
-- (or sheet and row) where it stands.

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    district    TEXT NOT NULL,
    year        INTEGER NOT NULL,
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    content     BLOB NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
CREATE INDEX documents_district_year_idx ON documents (district, year);

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    district    TEXT NOT NULL,
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    office      TEXT NOT NULL,
    issued_on   TEXT,
    notice      TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    CONSTRAINT plans_district_year_key UNIQUE (district, year)
);

-- Units belong to a district: 区财政局 of one district is not another's.
CREATE TABLE units (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    district TEXT NOT NULL,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    known    INTEGER NOT NULL CHECK (known IN (0, 1)),
    CONSTRAINT units_district_name_key UNIQUE (district, name),
    CONSTRAINT units_id_district_key UNIQUE (id, district),
    CONSTRAINT units_kind_check CHECK (kind IN ('office', 'department', 'town', 'cadre', 'partner',
        'enterprise', 'social', 'school', 'hospital', 'group'))
);

-- An alias names one unit of its district.
CREATE TABLE unit_aliases (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id  INTEGER NOT NULL,
    district TEXT NOT NULL,
    alias    TEXT NOT NULL,
    CONSTRAINT unit_aliases_district_alias_key UNIQUE (district, alias),
    FOREIGN KEY (unit_id, district) REFERENCES units (id, district) ON DELETE CASCADE
);
CREATE INDEX unit_aliases_unit_id_idx ON unit_aliases (unit_id);

-- The units a plan names, in the order the plan lists them.
CREATE TABLE plan_units (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);
CREATE INDEX plan_units_unit_id_idx ON plan_units (unit_id);

CREATE TABLE partner_regions (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    district TEXT NOT NULL,
    name     TEXT NOT NULL,
    relation TEXT NOT NULL,
    CONSTRAINT partner_regions_district_name_key UNIQUE (district, name)
);

-- The partner regions of a plan, with the relation that year's plan states.
CREATE TABLE plan_regions (
    plan_id   INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES partner_regions (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    relation  TEXT NOT NULL,
    PRIMARY KEY (plan_id, region_id)
);
CREATE INDEX plan_regions_region_id_idx ON plan_regions (region_id);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    title       TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    line        INTEGER NOT NULL,
    sheet       TEXT NOT NULL
);
CREATE INDEX sections_plan_id_idx ON sections (plan_id, seq);

CREATE TABLE work_points (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id        INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    number         INTEGER NOT NULL,
    section_number INTEGER NOT NULL,
    title          TEXT NOT NULL,
    text           TEXT NOT NULL,
    units_open     INTEGER NOT NULL CHECK (units_open IN (0, 1)),
    units_line     INTEGER NOT NULL,
    units_sheet    TEXT NOT NULL,
    document_id    INTEGER NOT NULL REFERENCES documents (id),
    line           INTEGER NOT NULL,
    sheet          TEXT NOT NULL
);
CREATE INDEX work_points_plan_id_idx ON work_points (plan_id, seq);

CREATE TABLE work_point_units (
    work_point_id INTEGER NOT NULL REFERENCES work_points (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    role          TEXT NOT NULL,
    stated        INTEGER NOT NULL CHECK (stated IN (0, 1)),
    written       TEXT NOT NULL,
    PRIMARY KEY (work_point_id, seq),
    CONSTRAINT work_point_units_role_check CHECK (role IN ('lead', 'cooperating'))
);
CREATE INDEX work_point_units_unit_id_idx ON work_point_units (unit_id);

CREATE TABLE work_teams (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    name        TEXT NOT NULL,
    note        TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    line        INTEGER NOT NULL,
    sheet       TEXT NOT NULL
);
CREATE INDEX work_teams_plan_id_idx ON work_teams (plan_id, seq);

CREATE TABLE work_team_leads (
    work_team_id INTEGER NOT NULL REFERENCES work_teams (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (work_team_id, seq)
);
CREATE INDEX work_team_leads_unit_id_idx ON work_team_leads (unit_id);

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    number        INTEGER NOT NULL,
    work_item     TEXT NOT NULL,
    category      TEXT NOT NULL,
    content       TEXT NOT NULL,
    units_open    INTEGER NOT NULL CHECK (units_open IN (0, 1)),
    deadline_text TEXT NOT NULL,
    document_id   INTEGER NOT NULL REFERENCES documents (id),
    line          INTEGER NOT NULL,
    sheet         TEXT NOT NULL
);
CREATE INDEX tasks_plan_id_idx ON tasks (plan_id, seq);

CREATE TABLE task_requirements (
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    number  INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (task_id, seq)
);

CREATE TABLE task_units (
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    role    TEXT NOT NULL,
    stated  INTEGER NOT NULL CHECK (stated IN (0, 1)),
    written TEXT NOT NULL,
    PRIMARY KEY (task_id, seq),
    CONSTRAINT task_units_role_check CHECK (role IN ('lead', 'cooperating'))
);
CREATE INDEX task_units_unit_id_idx ON task_units (unit_id);

CREATE TABLE task_deadlines (
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    due_on  TEXT NOT NULL,
    PRIMARY KEY (task_id, seq)
);

-- Money in fen; an unknown amount or count is NULL, never 0.
CREATE TABLE projects (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id           INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    region            TEXT NOT NULL,
    category          TEXT NOT NULL,
    category_number   INTEGER NOT NULL,
    number            INTEGER NOT NULL,
    name              TEXT NOT NULL,
    nature            TEXT NOT NULL,
    content           TEXT NOT NULL,
    total_investment  INTEGER,
    district_fund     INTEGER,
    fund_use          TEXT NOT NULL,
    villages          INTEGER,
    people            INTEGER,
    employed          INTEGER,
    implementer       TEXT NOT NULL,
    managers          TEXT NOT NULL,
    period            TEXT NOT NULL,
    start_year        INTEGER,
    start_month       INTEGER,
    finish_year       INTEGER,
    finish_month      INTEGER,
    benefit           TEXT NOT NULL,
    lead_unit_id      INTEGER REFERENCES units (id),
    lead_unit_written TEXT NOT NULL,
    document_id       INTEGER NOT NULL REFERENCES documents (id),
    line              INTEGER NOT NULL,
    sheet             TEXT NOT NULL
);
CREATE INDEX projects_plan_id_idx ON projects (plan_id, seq);
CREATE INDEX projects_lead_unit_id_idx ON projects (lead_unit_id);

CREATE TABLE subtotals (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id          INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    level            TEXT NOT NULL,
    region           TEXT NOT NULL,
    category         TEXT NOT NULL,
    category_number  INTEGER NOT NULL,
    label            TEXT NOT NULL,
    count            INTEGER,
    total_investment INTEGER,
    district_fund    INTEGER,
    villages         INTEGER,
    people           INTEGER,
    employed         INTEGER,
    document_id      INTEGER NOT NULL REFERENCES documents (id),
    line             INTEGER NOT NULL,
    sheet            TEXT NOT NULL,
    CONSTRAINT subtotals_level_check CHECK (level IN ('total', 'region', 'category'))
);
CREATE INDEX subtotals_plan_id_idx ON subtotals (plan_id, seq);
