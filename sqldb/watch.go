package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"xiezuo"
)

// The facts the watched rules (xiezuo.Watch) and the live project table read: each project's
// steps and money as of a day, one query per plan each, and the office's industrial start day.

// PlanWatchFacts reads each project's status and first start day as of day asOf (steps dated on
// or before it), for the plan of district and year, in one query.
func (db *DB) PlanWatchFacts(ctx context.Context, district string, year int, asOf xiezuo.Date) (xiezuo.WatchFacts, error) {
	f := xiezuo.WatchFacts{Status: map[int64]xiezuo.ProjectStatus{}, StartedOn: map[int64]xiezuo.Date{}}
	var steps []stepKind
	err := each(ctx, db.db, `
		SELECT s.project_id, s.kind, s.on_date
		FROM project_steps s
		JOIN projects p ON p.id = s.project_id
		JOIN plans pl ON pl.id = p.plan_id
		WHERE pl.district = $1 AND pl.year = $2 AND s.on_date <= $3
		ORDER BY s.project_id, s.on_date, s.id`, []any{district, year, asOf},
		func(rows *sql.Rows) error {
			var s stepKind
			if err := rows.Scan(&s.project, &s.kind, &s.on); err != nil {
				return err
			}
			steps = append(steps, s)
			return nil
		})
	if err != nil {
		return f, translate(fmt.Errorf("watch facts of %s %d: %w", district, year, err))
	}
	for i := 0; i < len(steps); {
		j := i
		for j < len(steps) && steps[j].project == steps[i].project {
			j++
		}
		id := steps[i].project
		f.Status[id] = foldStatus(steps[i:j])
		for _, s := range steps[i:j] {
			if s.kind == xiezuo.StepCancel {
				break // nothing follows a cancellation
			}
			if s.kind == xiezuo.StepStart {
				f.StartedOn[id] = s.on
				break
			}
		}
		i = j
	}
	return f, nil
}

// stepKind is what the watched rules read of a step.
type stepKind struct {
	project int64
	kind    xiezuo.StepKind
	on      xiezuo.Date
}

// foldStatus is a project's status after its steps, in order, as lifecycle.go's comments
// describe them: the first six steps move it along its life, suspend stops it where it was and
// resume restarts it there, cancel ends it, adjust leaves it. The lifecycle's own StatusAt
// replaces this once both are on main.
func foldStatus(steps []stepKind) xiezuo.ProjectStatus {
	st, before := xiezuo.StatusPlanned, xiezuo.StatusPlanned
	moves := map[xiezuo.StepKind]xiezuo.ProjectStatus{
		xiezuo.StepStart: xiezuo.StatusStarted, xiezuo.StepComplete: xiezuo.StatusCompleted,
		xiezuo.StepAccept: xiezuo.StatusAccepted, xiezuo.StepHandover: xiezuo.StatusHandedOver,
		xiezuo.StepAftercare: xiezuo.StatusAftercare, xiezuo.StepEvaluate: xiezuo.StatusEvaluated,
	}
	for _, s := range steps {
		if st == xiezuo.StatusCancelled {
			break
		}
		switch s.kind {
		case xiezuo.StepSuspend:
			if st != xiezuo.StatusSuspended {
				before, st = st, xiezuo.StatusSuspended
			}
		case xiezuo.StepResume:
			if st == xiezuo.StatusSuspended {
				st = before
			}
		case xiezuo.StepCancel:
			st = xiezuo.StatusCancelled
		default:
			if to, ok := moves[s.kind]; ok {
				if st == xiezuo.StatusSuspended {
					before = to // a step recorded while suspended is where it resumes
				} else {
					st = to
				}
			}
		}
	}
	return st
}

// PlanLiveFigures reads the live columns of the project table (xiezuo.LiveFigures) as of day
// asOf for every project of the plan of district and year that has a step or a transaction by
// then: its status and first start day (PlanWatchFacts), and the money allocated and disbursed
// by then, summed in one query over every source (a reversal, negative, cancels its entry).
func (db *DB) PlanLiveFigures(ctx context.Context, district string, year int, asOf xiezuo.Date) (map[int64]xiezuo.LiveFigures, error) {
	facts, err := db.PlanWatchFacts(ctx, district, year, asOf)
	if err != nil {
		return nil, err
	}
	live := map[int64]xiezuo.LiveFigures{}
	for id, st := range facts.Status {
		live[id] = xiezuo.LiveFigures{Status: st, StartedOn: facts.StartedOn[id]}
	}
	err = each(ctx, db.db, `
		SELECT t.project_id, t.kind, SUM(t.amount)
		FROM fund_transactions t
		JOIN projects p ON p.id = t.project_id
		JOIN plans pl ON pl.id = p.plan_id
		WHERE pl.district = $1 AND pl.year = $2 AND t.on_date <= $3 AND t.kind IN ('allocation', 'disbursement')
		GROUP BY t.project_id, t.kind`, []any{district, year, asOf},
		func(rows *sql.Rows) error {
			var id, sum int64
			var kind xiezuo.FundKind
			if err := rows.Scan(&id, &kind, &sum); err != nil {
				return err
			}
			l := live[id]
			if l.Status == "" {
				l.Status = xiezuo.StatusPlanned
			}
			if kind == xiezuo.FundAllocation {
				l.Allocated = sum
			} else {
				l.Disbursed = sum
			}
			live[id] = l
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("live figures of %s %d: %w", district, year, err))
	}
	return live, nil
}

// IndustrialStartBy is the day by which the industrial projects of the plan of district and
// year must have started, as the office had set it at instant at (the plan setting
// xiezuo.SettingIndustrialStartBy, the latest set by then), or 30 September of the year
// (xiezuo.DefaultIndustrialStartBy). A stored value the rule refuses (xiezuo.ParseIndustrialStartBy) is passed over.
// This private reader of plan_settings gives way to sqldb's PlanSetting once that is on main.
func (db *DB) IndustrialStartBy(ctx context.Context, district string, year int, at time.Time) (xiezuo.Date, error) {
	day := xiezuo.DefaultIndustrialStartBy(year)
	err := each(ctx, db.db, `
		SELECT s.value, s.at
		FROM plan_settings s JOIN plans pl ON pl.id = s.plan_id
		WHERE pl.district = $1 AND pl.year = $2 AND s.name = $3
		ORDER BY s.id`, []any{district, year, xiezuo.SettingIndustrialStartBy},
		func(rows *sql.Rows) error {
			var v string
			var t time.Time
			if err := rows.Scan(&v, &t); err != nil {
				return err
			}
			if d, err := xiezuo.ParseIndustrialStartBy(v, year); err == nil && !t.After(at) {
				day = d
			}
			return nil
		})
	if err != nil {
		return day, translate(fmt.Errorf("industrial start day of %s %d: %w", district, year, err))
	}
	return day, nil
}
