-- Reporting periods and the freeze (封存). A freeze locks a period of a plan (a month 2021-06, a
-- half year 2021-H1, the year 2021) with a snapshot of what it held; an exception granted by the
-- office opens one report or duty for a time. Every row is a dated fact, never updated: the state of a period or of an
-- exception at a date is derived from the rows up to it.

-- The office freezing a period of a plan (frozen = 1, with the snapshot) or unfreezing it
-- (frozen = 0, note giving the reason). The snapshot: the counts of the period's reports,
-- versions and reviews, and the SHA-256 over them (sqldb/period.go, periodDigest).
CREATE TABLE period_freezes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id  INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    period   TEXT NOT NULL,
    frozen   INTEGER NOT NULL CHECK (frozen IN (0, 1)),
    note     TEXT NOT NULL,
    reports  INTEGER NOT NULL,
    versions INTEGER NOT NULL,
    reviews  INTEGER NOT NULL,
    digest   TEXT NOT NULL,
    by_user  TEXT NOT NULL,
    at       TIMESTAMP NOT NULL
);
CREATE INDEX period_freezes_plan_id_idx ON period_freezes (plan_id, id);

-- A unit asking to change one duty's data in a frozen period: a new report on the duty
-- (report_id NULL) or a new version or review of one report.
CREATE TABLE freeze_exceptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    point_id     INTEGER REFERENCES work_points (id) ON DELETE CASCADE,
    task_id      INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
    project_id   INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    report_id    INTEGER REFERENCES reports (id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    CONSTRAINT freeze_exceptions_duty_check CHECK ((point_id IS NOT NULL) + (task_id IS NOT NULL) + (project_id IS NOT NULL) = 1)
);
CREATE INDEX freeze_exceptions_plan_id_idx ON freeze_exceptions (plan_id, id);

-- The office's decision on a request, with its reason: one per request.
CREATE TABLE freeze_exception_decisions (
    exception_id INTEGER PRIMARY KEY REFERENCES freeze_exceptions (id) ON DELETE CASCADE,
    granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
    reason  TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);

-- Each write a granted exception let through (report_id NULL for a write on the duty itself,
-- a closure): an exception opens its report or duty for a time, and every use is kept.
CREATE TABLE freeze_exception_uses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    exception_id INTEGER NOT NULL REFERENCES freeze_exceptions (id) ON DELETE CASCADE,
    report_id    INTEGER REFERENCES reports (id) ON DELETE CASCADE,
    by_user      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX freeze_exception_uses_exception_id_idx ON freeze_exception_uses (exception_id, id);
