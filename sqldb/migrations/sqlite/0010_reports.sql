-- Progress reports (进展) and what the office does with them. Every row is a dated fact, never
-- updated: a report's state, a duty's closure, a period's freeze are derived from the rows at a
-- date, so every light can be shown as of any past day.

-- A unit's report on one duty (a work point, a task or a project of a stored plan), sent to the
-- office or, from a cooperating unit, to the duty's lead unit (to_unit_id).
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    point_id   INTEGER REFERENCES work_points (id) ON DELETE CASCADE,
    task_id    INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    unit_id    INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    to_unit_id INTEGER REFERENCES units (id) ON DELETE CASCADE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT reports_duty_check CHECK ((point_id IS NOT NULL) + (task_id IS NOT NULL) + (project_id IS NOT NULL) = 1)
);
CREATE INDEX reports_point_id_idx ON reports (point_id);
CREATE INDEX reports_task_id_idx ON reports (task_id);
CREATE INDEX reports_project_id_idx ON reports (project_id);
CREATE INDEX reports_plan_id_idx ON reports (plan_id, id);

-- Each version a unit saved (draft) or sent (submitted). figures is a JSON object of figure key
-- to value (money in fen); a figure not reported is absent. cites lists the ids of the
-- cooperating units' reports a lead unit's report gathers.
CREATE TABLE report_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
    text      TEXT NOT NULL,
    percent   INTEGER CHECK (percent BETWEEN 0 AND 100),
    figures   TEXT NOT NULL DEFAULT '{}',
    cites     TEXT NOT NULL DEFAULT '[]',
    by_user   TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    CONSTRAINT report_versions_key UNIQUE (report_id, version)
);

-- The reviewer's decision on one submitted version.
CREATE TABLE report_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    decision  TEXT NOT NULL CHECK (decision IN ('accept', 'return')),
    comment   TEXT NOT NULL,
    by_user   TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    CONSTRAINT report_reviews_key UNIQUE (report_id, version)
);

-- The office closing a duty (销号) or reopening it; the latest row at a date applies.
CREATE TABLE duty_closures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    point_id   INTEGER REFERENCES work_points (id) ON DELETE CASCADE,
    task_id    INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    closed     INTEGER NOT NULL CHECK (closed IN (0, 1)),
    reason     TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL,
    CONSTRAINT duty_closures_duty_check CHECK ((point_id IS NOT NULL) + (task_id IS NOT NULL) + (project_id IS NOT NULL) = 1)
);
CREATE INDEX duty_closures_point_id_idx ON duty_closures (point_id);
CREATE INDEX duty_closures_task_id_idx ON duty_closures (task_id);
CREATE INDEX duty_closures_project_id_idx ON duty_closures (project_id);

-- API writes that create something, by the caller's Idempotency-Key: the same key and body
-- again answer with the stored result; another body with the key is refused.
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
