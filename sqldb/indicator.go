package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// The indicators of a plan year (indicator_versions, migration 0018): the shipped set of the
// year overlaid by the office's versions, each a dated fact never updated (a change is a new
// version of the code, a withdrawal a version marking it withdrawn); the latest version of a
// code at a moment applies. And what a scorecard measures, loaded as of a moment.

// Audit actions of the indicators.
const (
	AuditIndicatorSave     = "indicator.save"     // a version of an indicator stored
	AuditIndicatorWithdraw = "indicator.withdraw" // an indicator withdrawn from a year's set
	AuditIndicatorCopy     = "indicator.copy"     // a year's set started from another year's
)

type indicatorVersion struct {
	code      string
	withdrawn bool
	body      string
	parsed    *xiezuo.Indicator // body read (the city copy reads each once)
}

// indicator is the version's indicator, read from its body once.
func (v *indicatorVersion) indicator() (xiezuo.Indicator, error) {
	if v.parsed == nil {
		var in xiezuo.Indicator
		if err := json.Unmarshal([]byte(v.body), &in); err != nil {
			return in, fmt.Errorf("indicator %s: %w", v.code, err)
		}
		v.parsed = &in
	}
	in := *v.parsed
	in.Units = slices.Clone(in.Units)
	return in, nil
}

// indicatorVersions are the latest versions per code of a year recorded up to at (all when at
// is zero), in the order codes were first recorded.
func indicatorVersions(ctx context.Context, q querier, district string, year int, at time.Time) ([]indicatorVersion, error) {
	where, args := `district = $1 AND year = $2`, []any{district, year}
	if !at.IsZero() {
		where += ` AND at <= $3`
		args = append(args, at)
	}
	index := map[string]int{}
	var out []indicatorVersion
	err := each(ctx, q, `SELECT code, withdrawn, body FROM indicator_versions WHERE `+where+` ORDER BY id`, args,
		func(rows *sql.Rows) error {
			var v indicatorVersion
			if err := rows.Scan(&v.code, &v.withdrawn, &v.body); err != nil {
				return err
			}
			if i, ok := index[v.code]; ok {
				out[i] = v
				return nil
			}
			index[v.code] = len(out)
			out = append(out, v)
			return nil
		})
	return out, err
}

// IndicatorSet is a district's indicators of a plan year as they stood at a moment (zero: now):
// the shipped set of the year overlaid by the office's versions (the latest per code; a
// withdrawn code is left out), in dimension order (a dimension's shipped indicators in their
// order, then the office's new ones). A year without a shipped set and without versions is
// empty.
func (db *DB) IndicatorSet(ctx context.Context, district string, year int, at time.Time) ([]xiezuo.Indicator, error) {
	vs, err := indicatorVersions(ctx, db.db, district, year, at)
	if err != nil {
		return nil, translate(fmt.Errorf("indicators of %s %d: %w", district, year, err))
	}
	return overlay(xiezuo.ShippedIndicators(year), vs)
}

func overlay(set []xiezuo.Indicator, vs []indicatorVersion) ([]xiezuo.Indicator, error) {
	withdrawn := map[string]bool{}
	for k := range vs {
		v := &vs[k]
		i := slices.IndexFunc(set, func(in xiezuo.Indicator) bool { return in.Code == v.code })
		if v.withdrawn {
			withdrawn[v.code] = true
			continue
		}
		delete(withdrawn, v.code)
		in, err := v.indicator()
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			set[i] = in
		} else {
			set = append(set, in)
		}
	}
	set = slices.DeleteFunc(set, func(in xiezuo.Indicator) bool { return withdrawn[in.Code] })
	dim := func(in xiezuo.Indicator) int {
		if i := slices.Index(xiezuo.Dimensions, in.Dimension); i >= 0 {
			return i
		}
		return len(xiezuo.Dimensions)
	}
	slices.SortStableFunc(set, func(a, b xiezuo.Indicator) int { return dim(a) - dim(b) })
	return set, nil
}

// SaveIndicator stores a new version of an indicator (a new code adds one), checked against the
// stored plan of the year, with its audit entry.
func (db *DB) SaveIndicator(ctx context.Context, district string, year int, in xiezuo.Indicator, reason string) error {
	p, err := db.LoadPlan(ctx, district, year)
	if err != nil {
		return err
	}
	in.Code = strings.TrimSpace(in.Code)
	if err := in.Check(p); err != nil {
		return err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("save indicator: %w", err)
	}
	return db.writeIndicatorVersions(ctx, district, year, []indicatorVersion{{code: in.Code, body: string(body)}}, reason,
		AuditIndicatorSave, in.Code, in.Name)
}

// WithdrawIndicator removes an indicator from a year's set (a version marking it withdrawn),
// with the reason and its audit entry; ENOTFOUND when the year's set has no such code.
func (db *DB) WithdrawIndicator(ctx context.Context, district string, year int, code, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "撤销考核指标须说明原因")
	}
	set, err := db.IndicatorSet(ctx, district, year, time.Time{})
	if err != nil {
		return err
	}
	i := slices.IndexFunc(set, func(in xiezuo.Indicator) bool { return in.Code == code })
	if i < 0 {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年没有编号为“%s”的考核指标", year, code)
	}
	return db.writeIndicatorVersions(ctx, district, year, []indicatorVersion{{code: code, withdrawn: true, body: "{}"}}, reason,
		AuditIndicatorWithdraw, code, set[i].Name)
}

// CopyIndicators starts a year's set from another year's (dates moved by the years between);
// it refuses when the year has indicators of its own already (versions stored). It returns how
// many it copied.
func (db *DB) CopyIndicators(ctx context.Context, district string, from, to int) (int, error) {
	if from == to {
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "不能从同一年复制考核指标")
	}
	vs, err := indicatorVersions(ctx, db.db, district, to, time.Time{})
	if err != nil {
		return 0, translate(fmt.Errorf("copy indicators: %w", err))
	}
	if len(vs) > 0 {
		return 0, xiezuo.Errorf(xiezuo.ECONFLICT, "%d年已有自己的考核指标，不能再从%d年复制", to, from)
	}
	set, err := db.IndicatorSet(ctx, district, from, time.Time{})
	if err != nil {
		return 0, err
	}
	if len(set) == 0 {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年没有考核指标可复制", from)
	}
	var out []indicatorVersion
	for _, in := range set {
		in.From = moveYears(in.From, to-from)
		in.Due = moveYears(in.Due, to-from)
		body, err := json.Marshal(in)
		if err != nil {
			return 0, fmt.Errorf("copy indicators: %w", err)
		}
		out = append(out, indicatorVersion{code: in.Code, body: string(body)})
	}
	err = db.writeIndicatorVersions(ctx, district, to, out, fmt.Sprintf("从%d年复制", from), AuditIndicatorCopy,
		strconv.Itoa(to), fmt.Sprintf("%d年%s考核指标（%d项）", to, district, len(out)))
	return len(out), err
}

// moveYears moves a YYYY-MM-DD date by whole years (29 February to 28 February); "" stays.
func moveYears(s string, n int) string {
	d, err := xiezuo.ParseDate(s)
	if err != nil {
		return s
	}
	m := xiezuo.NewDate(d.Year+n, d.Month, d.Day)
	if m.Month != d.Month {
		m = xiezuo.NewDate(d.Year+n, d.Month+1, 0)
	}
	return m.String()
}

func (db *DB) writeIndicatorVersions(ctx context.Context, district string, year int, vs []indicatorVersion, reason, action, objectID, label string) error {
	now := db.factTime(ctx)
	actor := ActorFrom(ctx)
	tx, err := db.begin(ctx, "indicators "+district)
	if err != nil {
		return translate(fmt.Errorf("write indicators: %w", err))
	}
	defer tx.Rollback()
	for _, v := range vs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_versions (district, year, code, withdrawn, body, reason, by_user, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, district, year, v.code, v.withdrawn, v.body, reason, actor.Username, now); err != nil {
			return translate(fmt.Errorf("write indicators: %w", err))
		}
	}
	e := entryFor(ctx, action, "indicator", objectID, label)
	after := map[string]any{"区": district, "年度": year, "原因": reason}
	if len(vs) == 1 && !vs[0].withdrawn {
		after["指标"] = json.RawMessage(vs[0].body)
	} else {
		after["数量"] = len(vs)
	}
	e.After = mustJSON(after)
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("write indicators: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("write indicators: %w", err))
	}
	return nil
}

// ScoreData loads what a plan year's scorecard measures, as it stood at a moment (zero: now):
// the plan, the district's register entries then (EntriesAt), the projects' steps, money and
// results recorded by then, the district's placement rows recorded by then (names masked), the rows themselves (Rows: the trend reads them as they stood on
// its day), and the year before (Prior) when its plan is stored.
func (db *DB) ScoreData(ctx context.Context, district string, year int, at time.Time) (xiezuo.ScoreData, error) {
	d, err := db.scoreDataOf(ctx, district, year, at)
	if err != nil {
		return d, err
	}
	prior, err := db.scoreDataOf(ctx, district, year-1, at)
	switch {
	case err == nil:
		d.Prior = &prior
	case xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND:
		return d, err
	}
	return d, nil
}

func (db *DB) scoreDataOf(ctx context.Context, district string, year int, at time.Time) (xiezuo.ScoreData, error) {
	p, err := db.LoadPlan(ctx, district, year)
	if err != nil {
		return xiezuo.ScoreData{}, err
	}
	rows, err := db.RegisterRows(ctx, district, at)
	if err != nil {
		return xiezuo.ScoreData{}, err
	}
	steps, err := db.PlanSteps(ctx, district, year)
	if err != nil {
		return xiezuo.ScoreData{}, err
	}
	funds, err := db.PlanFundTxs(ctx, district, year)
	if err != nil {
		return xiezuo.ScoreData{}, err
	}
	results, err := db.PlanResults(ctx, district, year)
	if err != nil {
		return xiezuo.ScoreData{}, err
	}
	placements, err := db.LabourPlacements(ctx, district, at)
	if err != nil {
		return xiezuo.ScoreData{}, err
	}
	return xiezuo.ScoreData{Plan: p, Entries: xiezuo.EntriesAt(rows, at), Steps: recordedBy(steps, at, stepAt),
		Funds: recordedBy(funds, at, fundAt), Results: recordedBy(results, at, resultAt), At: at, Rows: rows,
		Placements: placements}, nil
}

func stepAt(s xiezuo.ProjectStep) time.Time     { return s.At }
func fundAt(t xiezuo.FundTx) time.Time          { return t.At }
func resultAt(r xiezuo.ProjectResult) time.Time { return r.At }

// recordedBy keeps the facts recorded up to at (all when at is zero).
func recordedBy[T any](m map[int64][]T, at time.Time, when func(T) time.Time) map[int64][]T {
	if at.IsZero() {
		return m
	}
	return xiezuo.KeptBy(m, at, when)
}
