-- Supervision notices (督办单): the office presses one unit on one duty. The notice's texts are
-- written once when it is issued; everything after is a dated step, never updated, and its
-- state and escalation are derived from the steps at a date.

-- A notice on one duty (a work point, a task or a project of a stored plan) to one unit,
-- numbered within its plan (门督〔2021〕12号).
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    point_id    INTEGER REFERENCES work_points (id) ON DELETE CASCADE,
    task_id     INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
    project_id  INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    subject     TEXT NOT NULL,
    requirement TEXT NOT NULL,
    reply_by    TEXT NOT NULL,
    signer      TEXT NOT NULL,
    CONSTRAINT notices_number_key UNIQUE (plan_id, number),
    CONSTRAINT notices_duty_check CHECK ((point_id IS NOT NULL) + (task_id IS NOT NULL) + (project_id IS NOT NULL) = 1)
);
CREATE INDEX notices_unit_id_idx ON notices (unit_id);
CREATE INDEX notices_point_id_idx ON notices (point_id);
CREATE INDEX notices_task_id_idx ON notices (task_id);
CREATE INDEX notices_project_id_idx ON notices (project_id);

-- Each step of a notice's life: issued, signed, answered, returned, done, closed, and the
-- escalation messages sent. seq orders a notice's steps.
CREATE TABLE notice_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    step      TEXT NOT NULL CHECK (step IN ('issued', 'signed', 'answered', 'returned', 'done', 'closed', 'escalated')),
    text      TEXT NOT NULL,
    by_user   TEXT NOT NULL,
    by_unit   TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    CONSTRAINT notice_steps_key UNIQUE (notice_id, seq)
);
