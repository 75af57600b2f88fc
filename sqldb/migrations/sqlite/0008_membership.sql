-- The member units of a district's leading group (领导小组成员单位), as the office keeps them:
-- each row is a dated fact (a unit joined or left), never overwritten; the latest row of a
-- unit says whether it is a member. A duty given to 领导小组各成员单位 reaches every member.
CREATE TABLE group_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district   TEXT NOT NULL,
    unit       TEXT NOT NULL,
    member     INTEGER NOT NULL CHECK (member IN (0, 1)),
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX group_members_district_idx ON group_members (district, unit, id);

-- The office naming the units that take a duty given to 领导小组相关成员单位 (交办): kind is
-- point or task, number the duty's number in the year's plan, units the canonical names
-- separated by newlines. Dated, never overwritten: the latest row of a duty applies.
CREATE TABLE duty_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district    TEXT NOT NULL,
    year        INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('point', 'task')),
    number      INTEGER NOT NULL,
    units       TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at TIMESTAMP NOT NULL
);
CREATE INDEX duty_assignments_plan_idx ON duty_assignments (district, year, id);

-- The office correcting the link of a task to a work point on the coverage page: linked says
-- whether the task belongs to the point. Dated, never overwritten: the latest row applies.
CREATE TABLE coverage_overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district TEXT NOT NULL,
    year     INTEGER NOT NULL,
    point    INTEGER NOT NULL,
    task     INTEGER NOT NULL,
    linked   INTEGER NOT NULL CHECK (linked IN (0, 1)),
    set_by   TEXT NOT NULL,
    set_at   TIMESTAMP NOT NULL
);
CREATE INDEX coverage_overrides_plan_idx ON coverage_overrides (district, year, id);
