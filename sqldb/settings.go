package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"xiezuo"
)

// AuditPlanSetting is the audit action of the office setting one of a plan year's settings.
const AuditPlanSetting = "plan.setting"

// The office's settings of a plan year (plan_settings, migration 0017) are dated rows, never
// overwritten: the latest row of a name applies, and the one that applied on a past day is the
// latest written by then.

// PlanSetting returns the current value of the setting name of district's plan of year, and
// whether it was ever set; a plan that is not stored is ENOTFOUND.
func (db *DB) PlanSetting(ctx context.Context, district string, year int, name string) (string, bool, error) {
	return db.PlanSettingAt(ctx, district, year, name, time.Time{})
}

// PlanSettingAt returns the value of the setting name of district's plan of year as it stood at
// at (the latest row written by then; the zero time: the latest of all), and whether it was set
// by then.
func (db *DB) PlanSettingAt(ctx context.Context, district string, year int, name string, at time.Time) (string, bool, error) {
	planID, err := planIDOf(ctx, db.db, district, year)
	if err != nil {
		return "", false, err
	}
	q, args := `SELECT value FROM plan_settings WHERE plan_id = $1 AND name = $2`, []any{planID, name}
	if !at.IsZero() {
		q += ` AND at <= $3`
		args = append(args, at.UTC())
	}
	var v string
	err = db.db.QueryRowContext(ctx, q+` ORDER BY id DESC LIMIT 1`, args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, translate(fmt.Errorf("plan setting %s: %w", name, err))
	}
	return v, true, nil
}

// SetPlanSetting sets name of district's plan of year to value (checked by
// xiezuo.CheckPlanSetting): a new dated row and its audit entry, with the value before and
// after, in one transaction. Setting the value it already has writes nothing.
func (db *DB) SetPlanSetting(ctx context.Context, district string, year int, name, value string) error {
	if err := xiezuo.CheckPlanSetting(name, value, year); err != nil {
		return err
	}
	tx, err := db.begin(ctx, "plan settings "+district+" "+strconv.Itoa(year))
	if err != nil {
		return translate(fmt.Errorf("set plan setting: %w", err))
	}
	defer tx.Rollback()
	planID, err := planIDOf(ctx, tx, district, year)
	if err != nil {
		return err
	}
	var old string
	err = tx.QueryRowContext(ctx, `SELECT value FROM plan_settings WHERE plan_id = $1 AND name = $2 ORDER BY id DESC LIMIT 1`, planID, name).Scan(&old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return translate(fmt.Errorf("set plan setting: %w", err))
	case old == value:
		return nil
	}
	actor := ActorFrom(ctx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO plan_settings (plan_id, name, value, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
		planID, name, value, actor.Username, db.factTime(ctx)); err != nil {
		return translate(fmt.Errorf("set plan setting: %w", err))
	}
	e := entryFor(ctx, AuditPlanSetting, "setting", fmt.Sprintf("%s/%d/%s", district, year, name), fmt.Sprintf("%d年%s计划设置 %s", year, district, name))
	e.Before = mustJSON(map[string]string{name: old})
	e.After = mustJSON(map[string]string{name: value})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("set plan setting: %w", err))
	}
	return translate(tx.Commit())
}

// planIDOf returns the id of district's stored plan of year, or ENOTFOUND.
func planIDOf(ctx context.Context, q rowQuerier, district string, year int) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM plans WHERE district = $1 AND year = $2`, district, year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有%s%d年的计划", district, year)
	}
	if err != nil {
		return 0, translate(fmt.Errorf("find plan %s %d: %w", district, year, err))
	}
	return id, nil
}

// rowQuerier is a database or a transaction, asked for one row.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
