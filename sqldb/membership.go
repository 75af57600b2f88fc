package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
)

// GroupMembers lists the member units of district's leading group, in name order: the units
// whose latest row says they are members.
func (db *DB) GroupMembers(ctx context.Context, district string) ([]string, error) {
	return groupMembers(ctx, db.db, district)
}

func groupMembers(ctx context.Context, q querier, district string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit, member FROM group_members WHERE district = $1 ORDER BY id`, district)
	if err != nil {
		return nil, translate(fmt.Errorf("group members: %w", err))
	}
	defer rows.Close()
	latest := map[string]bool{}
	for rows.Next() {
		var unit string
		var member bool
		if err := rows.Scan(&unit, &member); err != nil {
			return nil, fmt.Errorf("group members: %w", err)
		}
		latest[unit] = member
	}
	if err := rows.Err(); err != nil {
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

// SetGroupMembers makes units the member units of district's leading group: a dated row for
// each unit that joins or leaves, and one audit entry, in one transaction. Every unit must be
// in the catalogue (its canonical name is stored).
func (db *DB) SetGroupMembers(ctx context.Context, district string, units []string) error {
	want := map[string]bool{}
	for _, u := range units {
		c, ok := xiezuo.LookupUnit(u)
		if !ok || c.Kind == xiezuo.KindGroup {
			return xiezuo.Errorf(xiezuo.EINVALID, "“%s”不是单位目录中的单位", u)
		}
		want[c.Name] = true
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
	for u := range want {
		if !slices.Contains(old, u) {
			joined = append(joined, u)
		}
	}
	for _, u := range old {
		if !want[u] {
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
			if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (district, unit, member, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)`,
				district, u, c.member, actor.Username, now); err != nil {
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
// first.
func (db *DB) Assignments(ctx context.Context, district string, year int) ([]xiezuo.Assignment, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT kind, number, units, assigned_by, assigned_at FROM duty_assignments WHERE district = $1 AND year = $2 ORDER BY id`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("assignments: %w", err))
	}
	defer rows.Close()
	var as []xiezuo.Assignment
	for rows.Next() {
		var a xiezuo.Assignment
		var kind, units string
		if err := rows.Scan(&kind, &a.Duty.Number, &units, &a.By, &a.At); err != nil {
			return nil, fmt.Errorf("assignments: %w", err)
		}
		a.Duty.Kind = xiezuo.DutyKind(kind)
		if units != "" {
			a.Units = strings.Split(units, "\n")
		}
		as = append(as, a)
	}
	return as, translate(rows.Err())
}

// Assign records the office naming the units that take a duty given to 相关成员单位, with its
// audit entry, in one transaction. Each unit must be in the catalogue.
func (db *DB) Assign(ctx context.Context, district string, year int, duty xiezuo.DutyRef, units []string) error {
	var names []string
	for _, u := range units {
		c, ok := xiezuo.LookupUnit(u)
		if !ok || c.Kind == xiezuo.KindGroup {
			return xiezuo.Errorf(xiezuo.EINVALID, "“%s”不是单位目录中的单位", u)
		}
		if !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	if duty.Kind != xiezuo.DutyPoint && duty.Kind != xiezuo.DutyTask {
		return xiezuo.Errorf(xiezuo.EINVALID, "交办的应是工作要点或任务")
	}
	tx, err := db.begin(ctx, "assign "+district)
	if err != nil {
		return translate(fmt.Errorf("assign: %w", err))
	}
	defer tx.Rollback()
	actor, now := ActorFrom(ctx), db.now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO duty_assignments (district, year, kind, number, units, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		district, year, string(duty.Kind), duty.Number, strings.Join(names, "\n"), actor.Username, now); err != nil {
		return translate(fmt.Errorf("assign: %w", err))
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
// oldest first.
func (db *DB) CoverageOverrides(ctx context.Context, district string, year int) ([]xiezuo.CoverageOverride, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT point, task, linked, set_by, set_at FROM coverage_overrides WHERE district = $1 AND year = $2 ORDER BY id`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("coverage overrides: %w", err))
	}
	defer rows.Close()
	var os []xiezuo.CoverageOverride
	for rows.Next() {
		var o xiezuo.CoverageOverride
		if err := rows.Scan(&o.Point, &o.Task, &o.Linked, &o.By, &o.At); err != nil {
			return nil, fmt.Errorf("coverage overrides: %w", err)
		}
		os = append(os, o)
	}
	return os, translate(rows.Err())
}

// SetCoverageLink records the office saying whether task belongs to work point point, with its
// audit entry, in one transaction.
func (db *DB) SetCoverageLink(ctx context.Context, district string, year, point, task int, linked bool) error {
	tx, err := db.begin(ctx, "coverage "+district)
	if err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	defer tx.Rollback()
	actor, now := ActorFrom(ctx), db.now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO coverage_overrides (district, year, point, task, linked, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		district, year, point, task, linked, actor.Username, now); err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	e := entryFor(ctx, AuditCoverage, "coverage", fmt.Sprintf("%s/%d/%d/%d", district, year, point, task), fmt.Sprintf("%d年工作要点第%d条与任务第%d项", year, point, task))
	e.After = mustJSON(map[string]string{"对应": strconv.FormatBool(linked)})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("set coverage link: %w", err))
	}
	return translate(tx.Commit())
}
