-- A project's life after the plan (issue 9): steps, money, villages, results, assets,
-- publication and the office's per-year settings of the rules it watches. Every row is a dated
-- fact, never updated: a status, a cumulative amount, a village list, an asset register, a
-- published list are derived from the rows as of a date. Rows go with their project when a
-- re-import deletes it (ON DELETE CASCADE), as reports do.

CREATE TABLE project_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    note       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    document   TEXT NOT NULL,
    new_total_investment INTEGER,
    new_district_fund    INTEGER,
    new_content          TEXT,
    by_user    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX project_steps_project_idx ON project_steps (project_id, id);

-- Files of a step, kept in the one evidence store by their SHA-256 (package evidence).
CREATE TABLE project_step_evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    step_id  INTEGER NOT NULL REFERENCES project_steps (id) ON DELETE CASCADE,
    sha256   TEXT NOT NULL CHECK (length(sha256) = 64),
    name     TEXT NOT NULL,
    mime     TEXT NOT NULL,
    size     INTEGER NOT NULL CHECK (size > 0),
    taken_at TIMESTAMP,
    by_user  TEXT NOT NULL,
    at       TIMESTAMP NOT NULL
);
CREATE INDEX project_step_evidence_step_idx ON project_step_evidence (step_id, id);
CREATE INDEX project_step_evidence_sha256_idx ON project_step_evidence (sha256);

CREATE TABLE fund_transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('allocation', 'disbursement', 'expenditure')),
    source     TEXT NOT NULL CHECK (source IN ('district', 'social', 'integrated', 'self')),
    amount     INTEGER NOT NULL CHECK (amount <> 0),
    on_date    TEXT NOT NULL,
    reverses   INTEGER REFERENCES fund_transactions (id),
    note       TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL,
    CONSTRAINT fund_transactions_reversed_once UNIQUE (reverses)
);
CREATE INDEX fund_transactions_project_idx ON fund_transactions (project_id, on_date, id);

CREATE TABLE project_villages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    removed    INTEGER NOT NULL CHECK (removed IN (0, 1)),
    by_user    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX project_villages_project_idx ON project_villages (project_id, id);
CREATE INDEX project_villages_code_idx ON project_villages (code);

CREATE TABLE project_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('villages', 'people', 'poor_employed', 'jobs')),
    value      INTEGER NOT NULL CHECK (value >= 0),
    on_date    TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX project_results_project_idx ON project_results (project_id, kind, on_date, id);

CREATE TABLE project_assets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    value       INTEGER,
    quantity    INTEGER,
    unit        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    handover_on TEXT,
    upkeep      TEXT NOT NULL,
    supersedes  INTEGER REFERENCES project_assets (id),
    by_user     TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    CONSTRAINT project_assets_superseded_once UNIQUE (supersedes)
);
CREATE INDEX project_assets_project_idx ON project_assets (project_id, id);

CREATE TABLE project_publications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    published  INTEGER NOT NULL CHECK (published IN (0, 1)),
    by_user    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX project_publications_project_idx ON project_publications (project_id, id);

-- The office's settings of a plan year, dated (the latest applies): e.g. the day by which
-- every industrial project must have started, or the phone for complaints on public notices.
CREATE TABLE plan_settings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    value   TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);
CREATE INDEX plan_settings_plan_idx ON plan_settings (plan_id, name, id);
