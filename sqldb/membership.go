package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"xiezuo"
)

// The office's facts about the plan's facts (membership, assignments, coverage corrections)
// are stored by the ids of the units, work points and tasks they name; pages name a duty by
// its kind and number (xiezuo.DutyRef), which storage resolves to the id in the stored plan on
// writing and reads back as the duty's current number. A re-import that renumbers a task keeps
// its id, and so what is attached to it; one that deletes it deletes what is attached.

// GroupMembers lists the member units of district's leading group, in name order: the units
// whose latest row says they are members.
func (db *DB) GroupMembers(ctx context.Context, district string) ([]string, error) {
	return groupMembers(ctx, db.db, district)
}

func groupMembers(ctx context.Context, q querier, district string) ([]string, error) {
	latest := map[string]bool{}
	err := each(ctx, q, `SELECT u.name, g.member FROM group_members g JOIN units u ON u.id = g.unit_id
		WHERE u.district = $1 ORDER BY g.id`, []any{district},
		func(rows *sql.Rows) error {
			var unit string
			var member bool
			if err := rows.Scan(&unit, &member); err != nil {
				return err
			}
			latest[unit] = member
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("group members: %w", err))
	}
	var units []string
	for u, m := range latest {
		if m {
			units = append(units, u)
		}
	}
	slices.Sort(units)
	return units, nil
}

// catalogueUnits returns the canonical names of units, each once, in the order given; every
// unit must be in the catalogue.
func catalogueUnits(units []string) ([]string, error) {
	var names []string
	for _, u := range units {
		c, ok := xiezuo.LookupUnit(u)
		if !ok || c.Kind == xiezuo.KindGroup {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "“%s”不是单位目录中的单位", u)
		}
		if !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	return names, nil
}

// unitIDOf returns the id of the catalogue unit name of district, storing the unit if no plan
// has named it yet (as a unit a plan names but does not list, see planWriter.units).
func unitIDOf(ctx context.Context, tx *sql.Tx, district, name string) (int64, error) {
	c, _ := xiezuo.LookupUnit(name)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO units (district, name, kind, known) VALUES ($1, $2, $3, $4)
		ON CONFLICT (district, name) DO UPDATE SET name = excluded.name
		RETURNING id`, district, name, c.Kind, false).Scan(&id)
	return id, err
}

// dutyID returns the id of the work point or task duty names in district's stored plan of
// year: ENOTFOUND when the plan has none of that number.
func dutyID(ctx context.Context, tx *sql.Tx, district string, year int, duty xiezuo.DutyRef) (int64, error) {
	table, what := "work_points", "工作要点第%d条"
	switch duty.Kind {
	case xiezuo.DutyPoint:
	case xiezuo.DutyTask:
		table, what = "tasks", "任务第%d项"
	default:
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "交办的应是工作要点或任务")
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT d.id FROM `+table+` d JOIN plans pl ON pl.id = d.plan_id
		WHERE pl.district = $1 AND pl.year = $2 AND d.number = $3 ORDER BY d.seq LIMIT 1`,
		district, year, duty.Number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "%s%d年的计划中没有"+what, district, year, duty.Number)
	}
	return id, err
}

// SetGroupMembers makes units the member units of district's leading group: a dated row for
// each unit that joins or leaves, and one audit entry, in one transaction. Every unit must be
// in the catalogue (its canonical name is stored).
func (db *DB) SetGroupMembers(ctx context.Context, district string, units []string) error {
	names, err := catalogueUnits(units)
	if err != nil {
		return err
	}
	tx, err := db.begin(ctx, "group members "+district)
	if err != nil {
		return translate(fmt.Errorf("set group members: %w", err))
	}
	defer tx.Rollback()
	old, err := groupMembers(ctx, tx, district)
	if err != nil {
		return err
	}
	var joined, left []string
	for _, u := range names {
		if !slices.Contains(old, u) {
			joined = append(joined, u)
		}
	}
	for _, u := range old {
		if !slices.Contains(names, u) {
			left = append(left, u)
		}
	}
	if len(joined)+len(left) == 0 {
		return nil
	}
	slices.Sort(joined)
	actor, now := ActorFrom(ctx), db.now().UTC()
	for _, c := range []struct {
		units  []string
		member bool
	}{{joined, true}, {left, false}} {
		for _, u := range c.units {
			id, err := unitIDOf(ctx, tx, district, u)
			if err != nil {
				return translate(fmt.Errorf("set group members: %w", err))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (unit_id, member, changed_by, changed_at) VALUES ($1, $2, $3, $4)`,
				id, c.member, actor.Username, now); err != nil {
				return translate(fmt.Errorf("set group members: %w", err))
			}
		}
	}
	e := entryFor(ctx, AuditMembers, "group", district, district+"领导小组成员单位")
	e.Before = mustJSON(map[string]any{"成员单位": len(old)})
	e.After = mustJSON(map[string]any{"加入": joined, "退出": left})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("set group members: %w", err))
	}
	return translate(tx.Commit())
}

// Assignments lists the office's assignments of duties of district's plan of year, oldest
// first, each naming its duty by the duty's current number.
func (db *DB) Assignments(ctx context.Context, district string, year int) ([]xiezuo.Assignment, error) {
	var as []xiezuo.Assignment
	last := int64(0)
	err := each(ctx, db.db, `
		SELECT a.id, CASE WHEN a.point_id IS NULL THEN 'task' ELSE 'point' END,
			COALESCE(wp.number, t.number), a.assigned_by, a.assigned_at, u.name
		FROM duty_assignments a
		LEFT JOIN work_points wp ON wp.id = a.point_id
		LEFT JOIN tasks t ON t.id = a.task_id
		JOIN plans pl ON pl.id = COALESCE(wp.plan_id, t.plan_id)
		LEFT JOIN duty_assignment_units du ON du.assignment_id = a.id
		LEFT JOIN units u ON u.id = du.unit_id
		WHERE pl.district = $1 AND pl.year = $2
		ORDER BY a.id, du.seq`, []any{district, year},
		func(rows *sql.Rows) error {
			var id int64
			var a xiezuo.Assignment
			var kind string
			var unit sql.NullString
			if err := rows.Scan(&id, &kind, &a.Duty.Number, &a.By, &a.At, &unit); err != nil {
				return err
			}
			if id != last {
				a.Duty.Kind = xiezuo.DutyKind(kind)
				as = append(as, a)
				last = id
			}
			if unit.Valid {
				as[len(as)-1].Units = append(as[len(as)-1].Units, unit.String)
			}
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("assignments: %w", err))
	}
	return as, nil
}

// Assign records the office naming the units that take a duty given to 相关成员单位, with its
// audit entry, in one transaction. Each unit must be in the catalogue; the duty must be in
// district's stored plan of year (ENOTFOUND).
func (db *DB) Assign(ctx context.Context, district string, year int, duty xiezuo.DutyRef, units []string) error {
	names, err := catalogueUnits(units)
	if err != nil {
		return err
	}
	if duty.Kind != xiezuo.DutyPoint && duty.Kind != xiezuo.DutyTask {
		return xiezuo.Errorf(xiezuo.EINVALID, "交办的应是工作要点或任务")
	}
	tx, err := db.begin(ctx, "assign "+district)
	if err != nil {
		return translate(fmt.Errorf("assign: %w", err))
	}
	defer tx.Rollback()
	dutyRow, err := dutyID(ctx, tx, district, year, duty)
	if err != nil {
		return translate(fmt.Errorf("assign: %w", err))
	}
	var point, task sql.Null[int64]
	if duty.Kind == xiezuo.DutyPoint {
		point = sql.Null[int64]{V: dutyRow, Valid: true}
	} else {
		task = sql.Null[int64]{V: dutyRow, Valid: true}
	}
	actor, now := ActorFrom(ctx), db.now().UTC()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO duty_assignments (point_id, task_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		point, task, actor.Username, now).Scan(&id); err != nil {
		return translate(fmt.Errorf("assign: %w", err))
	}
	for i, u := range names {
		unitID, err := unitIDOf(ctx, tx, district, u)
		if err != nil {
			return translate(fmt.Errorf("assign: %w", err))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO duty_assignment_units (assignment_id, seq, unit_id) VALUES ($1, $2, $3)`,
			id, i+1, unitID); err != nil {
			return translate(fmt.Errorf("assign: %w", err))
		}
	}
	what := map[xiezuo.DutyKind]string{xiezuo.DutyPoint: "工作要点", xiezuo.DutyTask: "任务"}[duty.Kind]
	e := entryFor(ctx, AuditAssign, string(duty.Kind), fmt.Sprintf("%s/%d/%d", district, year, duty.Number), fmt.Sprintf("%d年%s第%d项", year, what, duty.Number))
	e.After = mustJSON(map[string]any{"单位": names})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("assign: %w", err))
	}
	return translate(tx.Commit())
}

// CoverageOverrides lists the office's corrections of task links of district's plan of year,
// oldest first, each naming its point and task by their current numbers.
func (db *DB) CoverageOverrides(ctx context.Context, district string, year int) ([]xiezuo.CoverageOverride, error) {
	var os []xiezuo.CoverageOverride
	err := each(ctx, db.db, `
		SELECT wp.number, t.number, o.linked, o.set_by, o.set_at
		FROM coverage_overrides o
		JOIN work_points wp ON wp.id = o.point_id
		JOIN tasks t ON t.id = o.task_id
		JOIN plans pl ON pl.id = wp.plan_id
		WHERE pl.district = $1 AND pl.year = $2
		ORDER BY o.id`, []any{district, year},
		func(rows *sql.Rows) error {
			var o xiezuo.CoverageOverride
			if err := rows.Scan(&o.Point, &o.Task, &o.Linked, &o.By, &o.At); err != nil {
				return err
			}
			os = append(os, o)
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("coverage overrides: %w", err))
	}
	return os, nil
}

// SetCoverageLink records the office saying whether task belongs to work point point (both
// numbers of district's stored plan of year, ENOTFOUND otherwise), with its audit entry, in one
// transaction.
func (db *DB) SetCoverageLink(ctx context.Context, district string, year, point, task int, linked bool) error {
	tx, err := db.begin(ctx, "coverage "+district)
	if err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	defer tx.Rollback()
	pointID, err := dutyID(ctx, tx, district, year, xiezuo.DutyRef{Kind: xiezuo.DutyPoint, Number: point})
	if err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	taskID, err := dutyID(ctx, tx, district, year, xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: task})
	if err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	actor, now := ActorFrom(ctx), db.now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO coverage_overrides (point_id, task_id, linked, set_by, set_at) VALUES ($1, $2, $3, $4, $5)`,
		pointID, taskID, linked, actor.Username, now); err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	e := entryFor(ctx, AuditCoverage, "coverage", fmt.Sprintf("%s/%d/%d/%d", district, year, point, task), fmt.Sprintf("%d年工作要点第%d条与任务第%d项", year, point, task))
	e.After = mustJSON(map[string]string{"对应": strconv.FormatBool(linked)})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	return translate(tx.Commit())
}
