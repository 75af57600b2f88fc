package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
)

// A city's scorecards: every district's plans of several years with their facts, loaded in a
// few queries and kept in memory while nothing changed. The facts are append-only rows
// (register entries, steps, transactions, results, indicator versions) and a plan changes only
// with a new document (plans.document_id), so one query of counts and maxima tells whether the
// copy is current, like the fund ledger's (fund_ledger.go); any change reloads the whole copy.

// scoreCache is the in-memory copy of what city scorecards read.
type scoreCache struct {
	mu    sync.Mutex
	key   string
	plans map[planKey]*xiezuo.Plan
	rows  map[string][]xiezuo.RegisterEntry // by district, in id order
	steps map[int64][]xiezuo.ProjectStep
	funds map[int64][]xiezuo.FundTx
	res   map[int64][]xiezuo.ProjectResult
	vers  map[planKey][]indicatorVersion
	// loads counts whole loads, for tests.
	loads int
}

type planKey struct {
	district string
	year     int
}

// scoreFingerprint is one query's answer that changes whenever a fact scorecards read does.
func (db *DB) scoreFingerprint(ctx context.Context) (string, error) {
	var parts [11]int64
	err := db.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM plans), (SELECT COALESCE(SUM(document_id), 0) FROM plans),
		(SELECT COUNT(*) FROM register_entries), (SELECT COALESCE(MAX(id), 0) FROM register_entries),
		(SELECT COUNT(*) FROM project_steps), (SELECT COALESCE(MAX(id), 0) FROM project_steps),
		(SELECT COUNT(*) FROM fund_transactions), (SELECT COALESCE(MAX(id), 0) FROM fund_transactions),
		(SELECT COUNT(*) FROM project_results), (SELECT COALESCE(MAX(id), 0) FROM project_results),
		(SELECT COALESCE(MAX(id), 0) FROM indicator_versions)`).Scan(&parts[0], &parts[1], &parts[2], &parts[3],
		&parts[4], &parts[5], &parts[6], &parts[7], &parts[8], &parts[9], &parts[10])
	if err != nil {
		return "", translate(fmt.Errorf("score fingerprint: %w", err))
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strconv.FormatInt(p, 10))
		b.WriteByte(' ')
	}
	return b.String(), nil
}

// scoreCopy brings the copy up to date and returns it, locked: the caller unlocks.
func (db *DB) scoreCopy(ctx context.Context) (*scoreCache, error) {
	c := &db.score
	c.mu.Lock()
	key, err := db.scoreFingerprint(ctx)
	if err != nil {
		c.mu.Unlock()
		return nil, err
	}
	if c.key == key && c.plans != nil {
		return c, nil
	}
	if err := db.loadScoreCopy(ctx, c); err != nil {
		c.plans = nil
		c.mu.Unlock()
		return nil, err
	}
	c.key = key
	c.loads++
	return c, nil
}

func (db *DB) loadScoreCopy(ctx context.Context, c *scoreCache) error {
	c.plans = map[planKey]*xiezuo.Plan{}
	var keys []planKey
	err := each(ctx, db.db, `SELECT district, year FROM plans ORDER BY district, year`, nil, func(rows *sql.Rows) error {
		var k planKey
		if err := rows.Scan(&k.district, &k.year); err != nil {
			return err
		}
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		return translate(fmt.Errorf("city plans: %w", err))
	}
	for _, k := range keys {
		p, err := db.LoadPlan(ctx, k.district, k.year)
		if err != nil {
			return err
		}
		c.plans[k] = p
	}
	all, err := loadRegisterRows(ctx, db.db, `1 = 1`)
	if err != nil {
		return err
	}
	c.rows = map[string][]xiezuo.RegisterEntry{}
	for _, r := range all {
		c.rows[r.District] = append(c.rows[r.District], r)
	}
	steps, err := stepsWhere(ctx, db.db, `1 = 1`)
	if err != nil {
		return translate(fmt.Errorf("city steps: %w", err))
	}
	c.steps = map[int64][]xiezuo.ProjectStep{}
	for _, s := range steps {
		c.steps[s.ProjectID] = append(c.steps[s.ProjectID], s)
	}
	c.funds = map[int64][]xiezuo.FundTx{}
	err = each(ctx, db.db, `SELECT `+fundColumns+` FROM fund_transactions t ORDER BY t.project_id, t.on_date, t.id`, nil,
		func(rows *sql.Rows) error {
			t, err := scanFundTx(rows)
			c.funds[t.ProjectID] = append(c.funds[t.ProjectID], t)
			return err
		})
	if err != nil {
		return translate(fmt.Errorf("city funds: %w", err))
	}
	if c.res, err = loadResults(ctx, db.db, `1 = 1`); err != nil {
		return translate(fmt.Errorf("city results: %w", err))
	}
	c.vers = map[planKey][]indicatorVersion{}
	index := map[planKey]map[string]int{}
	err = each(ctx, db.db, `SELECT district, year, code, withdrawn, body FROM indicator_versions ORDER BY id`, nil,
		func(rows *sql.Rows) error {
			var k planKey
			var v indicatorVersion
			if err := rows.Scan(&k.district, &k.year, &v.code, &v.withdrawn, &v.body); err != nil {
				return err
			}
			if index[k] == nil {
				index[k] = map[string]int{}
			}
			if i, ok := index[k][v.code]; ok {
				c.vers[k][i] = v
				return nil
			}
			index[k][v.code] = len(c.vers[k])
			c.vers[k] = append(c.vers[k], v)
			return nil
		})
	if err != nil {
		return translate(fmt.Errorf("city indicators: %w", err))
	}
	return nil
}

// CityScore is one plan year of a city's scorecards: its indicators and what they measure.
type CityScore struct {
	Set  []xiezuo.Indicator
	Data xiezuo.ScoreData
}

// CityScoreData loads what the scorecards of several districts' plan years measure, as they
// stood at a moment (zero: now), with each year's indicator set (versions of any time: the
// set as it stands now). Plan years not stored are left out; Prior
// is the year before when stored. The facts come from the in-memory copy (a few queries when
// anything changed, one otherwise); a plan year's entries are those its periods can count
// (dated from its 1 January to 31 January after it, and the seconded people).
func (db *DB) CityScoreData(ctx context.Context, districts []string, years []int, at time.Time) ([]CityScore, error) {
	c, err := db.scoreCopy(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out []CityScore
	for _, district := range districts {
		rows := c.rows[district]
		entries := xiezuo.EntriesAt(rows, at)
		for _, y := range years {
			d, ok := c.dataOf(district, y, entries, at)
			if !ok {
				continue
			}
			if prior, ok := c.dataOf(district, y-1, entries, at); ok {
				d.Prior = &prior
			}
			set, err := overlay(xiezuo.ShippedIndicators(y), c.vers[planKey{district, y}])
			if err != nil {
				return nil, err
			}
			out = append(out, CityScore{Set: set, Data: d})
		}
	}
	return out, nil
}

func (c *scoreCache) dataOf(district string, year int, entries []xiezuo.RegisterEntry, at time.Time) (xiezuo.ScoreData, bool) {
	p, ok := c.plans[planKey{district, year}]
	if !ok {
		return xiezuo.ScoreData{}, false
	}
	first, last := dayOf(xiezuo.NewDate(year, 1, 1)), dayOf(xiezuo.NewDate(year+1, 1, 31))
	var es []xiezuo.RegisterEntry
	for _, e := range entries {
		if on := dayOf(e.On); e.Kind == xiezuo.RegPersonnel || on >= first && on <= last {
			es = append(es, e)
		}
	}
	d := xiezuo.ScoreData{Plan: p, Entries: es, Steps: map[int64][]xiezuo.ProjectStep{}, Funds: map[int64][]xiezuo.FundTx{},
		Results: map[int64][]xiezuo.ProjectResult{}, At: at}
	for _, pr := range p.Projects {
		if s := c.steps[pr.ID]; len(s) > 0 {
			d.Steps[pr.ID] = s
		}
		if f := c.funds[pr.ID]; len(f) > 0 {
			d.Funds[pr.ID] = f
		}
		if r := c.res[pr.ID]; len(r) > 0 {
			d.Results[pr.ID] = r
		}
	}
	if !at.IsZero() {
		d.Steps, d.Funds, d.Results = recordedBy(d.Steps, at, stepAt), recordedBy(d.Funds, at, fundAt), recordedBy(d.Results, at, resultAt)
	}
	return d, true
}

// DropScoreCopy forgets the in-memory copy (benchmarks time its load).
func (db *DB) DropScoreCopy() {
	db.score.mu.Lock()
	db.score.plans, db.score.key = nil, ""
	db.score.mu.Unlock()
}
