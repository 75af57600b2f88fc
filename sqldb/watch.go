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

// PlanWatchFacts reads each project's status (xiezuo.StatusAt) and first start day as of day
// asOf (steps dated on or before it), for the plan of district and year, in one query (PlanSteps).
func (db *DB) PlanWatchFacts(ctx context.Context, district string, year int, asOf xiezuo.Date) (xiezuo.WatchFacts, error) {
	f := xiezuo.WatchFacts{Status: map[int64]xiezuo.ProjectStatus{}, StartedOn: map[int64]xiezuo.Date{}}
	steps, err := db.PlanSteps(ctx, district, year)
	if err != nil {
		return f, err
	}
	for id, ss := range steps {
		ss = xiezuo.StepsBy(ss, asOf)
		if len(ss) == 0 {
			continue
		}
		f.Status[id] = xiezuo.StatusAt(ss, asOf)
		for _, s := range ss {
			if s.Kind == xiezuo.StepCancel {
				break // nothing follows a cancellation
			}
			if s.Kind == xiezuo.StepStart {
				f.StartedOn[id] = s.On
				break
			}
		}
	}
	return f, nil
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
	sums, err := db.PlanFundSums(ctx, district, year, asOf)
	if err != nil {
		return nil, err
	}
	for id, txs := range sums {
		l := live[id]
		if l.Status == "" {
			l.Status = xiezuo.StatusPlanned
		}
		t := xiezuo.FundsAt(txs, asOf)
		l.Allocated, l.Disbursed = t.Allocated, t.Disbursed
		live[id] = l
	}
	return live, nil
}

// IndustrialStartBy is the day by which the industrial projects of the plan of district and
// year must have started, as the office had set it at instant at (the plan setting
// xiezuo.SettingIndustrialStartBy, the latest set by then), or 30 September of the year
// (xiezuo.DefaultIndustrialStartBy). A stored value the rule refuses (xiezuo.ParseIndustrialStartBy) is passed over.
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
