-- The office's own facts about the plan's facts attach to them by id, never by a name or a
-- number: a re-import that renumbers a task (a task inserted before it) or renames a unit's
-- written form keeps its id, and so what is attached to it. As with contacts (0007), what is
-- attached goes with the point, task or unit a re-import deletes (ON DELETE CASCADE).

-- The member units of a district's leading group (领导小组成员单位), as the office keeps them:
-- each row is a dated fact (a unit joined or left), never overwritten; the latest row of a
-- unit says whether it is a member. A duty given to 领导小组各成员单位 reaches every member.
-- The unit's district is the group's.
CREATE TABLE group_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id    INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    member     INTEGER NOT NULL CHECK (member IN (0, 1)),
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX group_members_unit_id_idx ON group_members (unit_id, id);

-- The office naming the units that take a duty given to 领导小组相关成员单位 (交办): the duty is
-- one work point or one task of a stored plan, the units are listed in
-- duty_assignment_units. Dated, never overwritten: the latest row of a duty applies.
CREATE TABLE duty_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    point_id    INTEGER REFERENCES work_points (id) ON DELETE CASCADE,
    task_id     INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
    assigned_by TEXT NOT NULL,
    assigned_at TIMESTAMP NOT NULL,
    CONSTRAINT duty_assignments_duty_check CHECK ((point_id IS NULL) <> (task_id IS NULL))
);
CREATE INDEX duty_assignments_point_id_idx ON duty_assignments (point_id);
CREATE INDEX duty_assignments_task_id_idx ON duty_assignments (task_id);

-- The units an assignment names, in the order the office named them.
CREATE TABLE duty_assignment_units (
    assignment_id INTEGER NOT NULL REFERENCES duty_assignments (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    PRIMARY KEY (assignment_id, seq)
);
CREATE INDEX duty_assignment_units_unit_id_idx ON duty_assignment_units (unit_id);

-- The office correcting the link of a task to a work point of the same plan on the coverage
-- page: linked says whether the task belongs to the point. Dated, never overwritten: the
-- latest row of a point and task applies.
CREATE TABLE coverage_overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    point_id INTEGER NOT NULL REFERENCES work_points (id) ON DELETE CASCADE,
    task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    linked   INTEGER NOT NULL CHECK (linked IN (0, 1)),
    set_by   TEXT NOT NULL,
    set_at   TIMESTAMP NOT NULL
);
CREATE INDEX coverage_overrides_point_id_idx ON coverage_overrides (point_id);
CREATE INDEX coverage_overrides_task_id_idx ON coverage_overrides (task_id);
